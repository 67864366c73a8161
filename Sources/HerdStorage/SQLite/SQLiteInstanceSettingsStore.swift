import Foundation
import GRDB
import HerdCore

struct SQLiteInstanceSettingsStore: InstanceSettingsStore {
    let pool: SQLiteConnections

    func overrides() async throws -> InstanceOverrides {
        try await pool.readHere { db in
            guard
                let text = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT value FROM instance_settings WHERE key = 'overrides'"))
            else { return InstanceOverrides() }
            return (try? JSONDecoder().decode(InstanceOverrides.self, from: Data(text.utf8))) ?? InstanceOverrides()
        }
    }

    func save(_ overrides: InstanceOverrides) async throws {
        let text = String(decoding: try JSONEncoder().encode(overrides), as: UTF8.self)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO instance_settings (key, value) VALUES ('overrides', ?)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """,
                arguments: [text])
        }
    }
}
