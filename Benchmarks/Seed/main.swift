// Fills a Herd database with published videos for benchmarks: herd-bench-seed <database path> <count>
import Foundation
import HerdCore
import HerdStorage

let arguments = CommandLine.arguments
guard arguments.count == 3, let count = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: herd-bench-seed <database path> <count>\n".utf8))
    exit(2)
}
let stores = try SQLiteDatabase(path: arguments[1]).stores
let owner: UserBundle
if let user = try await stores.users.find(usernameOrEmail: "bench") {
    let account = try await stores.accounts.find(userId: user.id)!
    let channels = try await stores.channels.list(accountId: account.id, pagination: Pagination(), sort: .createdAt)
    owner = UserBundle(user: user, account: account, channels: channels.data.map(\.channel))
} else {
    owner = try await stores.users.create(
        NewUser(username: "bench", email: "bench@localhost", passwordHash: "-", role: .user, videoQuota: -1)
    )
}
let tags = ["music", "science", "travel", "cooking", "school", "sport"]
for index in 0..<count {
    _ = try await stores.videos.create(
        NewVideo(
            channelId: owner.channels[0].id, name: "Benchmark video \(index)",
            description: "Video number \(index), made for the API benchmark. "
                + String(repeating: "Lorem ipsum. ", count: 20),
            privacy: .public, state: .published, category: index % 18 + 1, licence: index % 7 + 1, language: "en",
            tags: [tags[index % tags.count], tags[(index / 6) % tags.count]], originalSize: 1_000_000
        )
    )
}
print("seeded \(count) videos")
