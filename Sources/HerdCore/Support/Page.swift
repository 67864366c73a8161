/// One page of a list: PeerTube's `{total, data}`.
public struct Page<Element: Sendable>: Sendable {
    public var total: Int
    public var data: [Element]

    public init(total: Int, data: [Element]) {
        self.total = total
        self.data = data
    }

    public func map<T>(_ transform: (Element) throws -> T) rethrows -> Page<T> {
        Page<T>(total: total, data: try data.map(transform))
    }
}

/// `start`/`count` pagination with PeerTube's defaults (15) and limit (100).
public struct Pagination: Sendable, Equatable {
    public static let defaultCount = 15
    public static let maxCount = 100

    public var start: Int
    public var count: Int

    public init(start: Int = 0, count: Int = Pagination.defaultCount) {
        self.start = start
        self.count = count
    }

    /// Validates raw query values.
    public init(start: String?, count: String?) throws {
        var value = Pagination()
        if let start {
            guard let n = Int(start), n >= 0 else { throw HerdError.badRequest("start must be an integer ≥ 0") }
            value.start = n
        }
        if let count {
            guard let n = Int(count), n >= 0, n <= Pagination.maxCount else {
                throw HerdError.badRequest("count must be an integer between 0 and \(Pagination.maxCount)")
            }
            value.count = n
        }
        self = value
    }
}
