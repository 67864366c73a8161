import Foundation

/// Dates as PeerTube writes them: `2024-09-19T10:00:00.000Z` (UTC, milliseconds).
public func isoDate(_ date: Date) -> String {
    let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    var seconds = time_t(milliseconds.quotient(dividingBy: 1000))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    let year = Int(parts.tm_year) + 1900
    let fields = [
        (year, 4), (Int(parts.tm_mon) + 1, 2), (Int(parts.tm_mday), 2), (Int(parts.tm_hour), 2), (Int(parts.tm_min), 2),
        (Int(parts.tm_sec), 2), (Int(milliseconds.remainder(dividingBy: 1000)), 3),
    ]
    guard (0...9999).contains(year) else {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let text = fields.map { pad($0.0, $0.1) }
        return "\(text[0])-\(text[1])-\(text[2])T\(text[3]):\(text[4]):\(text[5]).\(text[6])Z"
    }
    // Digits written straight into the 24 bytes of "YYYY-MM-DDTHH:MM:SS.mmmZ": every video in a list has several
    // dates, and building them from padded strings was 3% of an uncached list (issue 16).
    return String(unsafeUninitializedCapacity: 24) { buffer in
        var end = 0
        for (index, (value, width)) in fields.enumerated() {
            var rest = value
            for position in stride(from: end + width - 1, through: end, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            end += width
            buffer[end] = isoDateSeparators[index]
            end += 1
        }
        return end
    }
}

/// What follows each field of an ISO 8601 date, in order.
private let isoDateSeparators = Array("--T::.Z".utf8)

extension Int64 {
    /// Floor division, so dates before 1970 format correctly.
    func quotient(dividingBy divisor: Int64) -> Int64 {
        let (q, r) = quotientAndRemainder(dividingBy: divisor)
        return r < 0 ? q - 1 : q
    }

    func remainder(dividingBy divisor: Int64) -> Int64 {
        let r = self % divisor
        return r < 0 ? r + divisor : r
    }
}
