import PostgresNIO

/// SQL assembled piece by piece (optional filters), with each value bound as `$n`, never spliced into the text.
struct QueryBuilder {
    private(set) var sql: String
    private var binds = PostgresBindings()
    /// The bound values as text, for a cache key of the statement and its values (`CountCache`).
    private var described: [String] = []

    init(_ sql: String = "") {
        self.sql = sql
    }

    /// Binds `value` and returns its placeholder.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        described.append(String(reflecting: value))
        return "$\(binds.count)"
    }

    mutating func append(_ text: String) {
        sql += text
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }

    /// The statement and its values: equal keys, equal results.
    var key: String { sql + "\u{1F}" + described.joined(separator: "\u{1E}") }
}
