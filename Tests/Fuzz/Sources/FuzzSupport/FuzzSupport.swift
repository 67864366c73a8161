internal import CFuzzDriver

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hands the process over to libFuzzer (its arguments: corpus folders, `-runs=`, `-max_total_time=`, …) and exits
/// with its status. Every fuzz target's `@main` calls this.
public func runFuzzer() -> Never {
    exit(herd_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv))
}

/// The fuzz input as bytes (libFuzzer passes a pointer that may be nil when the input is empty).
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// SplitMix64: a tiny deterministic generator, so that one input always splits into the same chunks and
/// interleaves the same clock ticks (a finding must replay exactly).
public struct FuzzRandom {
    private var state: UInt64

    public init(seed: UInt8) {
        state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (`bound` > 0).
    public mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}

extension Array where Element == UInt8 {
    /// The bytes split into consecutive chunks of 1 to `maxChunk` bytes, sizes drawn from `random`: parsers that
    /// take a stream must not care where the network cut it.
    public func fuzzChunks(maxChunk: Int, random: inout FuzzRandom) -> [ArraySlice<UInt8>] {
        var chunks: [ArraySlice<UInt8>] = []
        var start = startIndex
        while start < endIndex {
            let end = Swift.min(endIndex, start + 1 + random.below(maxChunk))
            chunks.append(self[start..<end])
            start = end
        }
        return chunks
    }
}
