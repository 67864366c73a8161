import Foundation
import HerdCore
import PostgresNIO

struct PostgresInstanceSettingsStore: InstanceSettingsStore {
    let db: PostgresConnections

    func overrides() async throws -> InstanceOverrides {
        guard let row = try await db.first("SELECT value FROM instance_settings WHERE key = 'overrides'") else {
            return InstanceOverrides()
        }
        let text = try row.decode(String.self)
        return (try? JSONDecoder().decode(InstanceOverrides.self, from: Data(text.utf8))) ?? InstanceOverrides()
    }

    func save(_ overrides: InstanceOverrides) async throws {
        let text = String(decoding: try JSONEncoder().encode(overrides), as: UTF8.self)
        try await db.query(
            """
            INSERT INTO instance_settings (key, value) VALUES ('overrides', \(text))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """)
    }
}
