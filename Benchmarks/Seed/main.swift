// Benchmarks only, through the stores and adapters themselves:
//   herd-bench-seed <database> <count>                  fills the database with <count> published videos
//   herd-bench-seed <database> private <uuid>           adds one private video with this UUID
//   herd-bench-seed <database> jobs <count> <workers>   queues <count> jobs, then <workers> claim them at once;
//                                                       prints "claimed <n> duplicates <d> seconds <s>"
//   herd-bench-seed s3put <endpoint> <bucket> <key> <file>   puts a file as Herd puts an original (S3Client),
//                                                       with HERD_S3_KEY and HERD_S3_SECRET; prints "seconds <s>"
// <database> is a SQLite file or a postgres:// URL.
import Foundation
import HerdCore
import HerdObjectStorage
import HerdPostgres
import HerdS3
import HerdStorage
import Logging

let arguments = Array(CommandLine.arguments.dropFirst())
func usage() -> Never {
    FileHandle.standardError.write(Data("usage: see Benchmarks/Seed/main.swift\n".utf8))
    exit(2)
}
guard arguments.count >= 2 else { usage() }

if arguments[0] == "s3put" {
    guard arguments.count == 5, let key = ProcessInfo.processInfo.environment["HERD_S3_KEY"],
        let secret = ProcessInfo.processInfo.environment["HERD_S3_SECRET"]
    else { usage() }
    let client = S3Client(
        endpoint: S3Endpoint(
            url: arguments[1], region: "us-east-1",
            credentials: .init(accessKeyId: key, secretAccessKey: secret), forcePathStyle: true),
        partSize: 100 << 20)
    let start = Date()
    try await client.putFile(arguments[2], arguments[3], path: arguments[4])
    print("seconds \(Date().timeIntervalSince(start))")
    exit(0)
}

let stores: Stores
if arguments[0].hasPrefix("postgres://") {
    let database = try PostgresStorage(url: arguments[0], pool: 8, logger: Logger(label: "bench"))
    database.start()
    _ = try await database.migrate()
    stores = database.stores
} else {
    stores = try SQLiteDatabase(path: arguments[0]).stores
}

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

switch arguments[1] {
case "private":
    guard arguments.count == 3, let uuid = UUID(uuidString: arguments[2]) else { usage() }
    _ = try await stores.videos.create(
        NewVideo(
            uuid: uuid, channelId: owner.channels[0].id, name: "Private benchmark video", privacy: .private,
            state: .published, originalSize: 1_000_000))
    print("private video \(uuid.uuidString.lowercased())")
case "jobs":
    guard arguments.count == 4, let count = Int(arguments[2]), let workers = Int(arguments[3]) else { usage() }
    for _ in 0..<count {
        _ = try await stores.jobs.enqueue(kind: "bench", payload: Data("{}".utf8), runAfter: Date(), maxAttempts: 1)
    }
    let start = Date()
    let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
        for worker in 0..<workers {
            group.addTask {
                var ids: [Int64] = []
                while let job = try await stores.jobs.claimNext(
                    kinds: ["bench"], holder: "bench-\(worker)", lease: 60, now: Date())
                {
                    ids.append(job.id)
                }
                return ids
            }
        }
        var all: [Int64] = []
        for try await ids in group { all += ids }
        return all
    }
    let seconds = Date().timeIntervalSince(start)
    print("claimed \(claimed.count) duplicates \(claimed.count - Set(claimed).count) seconds \(seconds)")
default:
    guard arguments.count == 2, let count = Int(arguments[1]) else { usage() }
    let tags = ["music", "science", "travel", "cooking", "school", "sport"]
    for index in 0..<count {
        _ = try await stores.videos.create(
            NewVideo(
                channelId: owner.channels[0].id, name: "Benchmark video \(index)",
                description: "Video number \(index), made for the API benchmark. "
                    + String(repeating: "Lorem ipsum. ", count: 20),
                privacy: .public, state: .published, category: index % 18 + 1, licence: index % 7 + 1,
                language: "en", tags: [tags[index % tags.count], tags[(index / 6) % tags.count]],
                originalSize: 1_000_000
            )
        )
    }
    print("seeded \(count) videos")
}
exit(0)
