import Foundation
import HerdCore
import HerdStorage

/// Opens the database named by `database.url`. Only this file knows the backends; the API sees `Stores`.
public enum Database {
    public enum Backend: Equatable {
        case sqlite(path: String)
    }

    public static func backend(for settings: Settings) throws(ConfigError) -> Backend {
        let url = settings.databaseURL
        if url.isEmpty { return .sqlite(path: settings.storageDir + "/herd.sqlite") }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw ConfigError(key: "database.url", problem: "sqlite:// needs a path") }
            return .sqlite(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            throw ConfigError(
                key: "database.url", problem: "PostgreSQL is not available in this build yet; use sqlite://")
        }
        throw ConfigError(key: "database.url", problem: "expected sqlite:///path, got '\(url)'")
    }

    public static func open(_ settings: Settings) throws -> Stores {
        switch try backend(for: settings) {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            return try SQLiteDatabase(path: path).stores
        }
    }
}
