import HerdCore
import HerdProcessing
import Hummingbird

/// `GET /api/v1/config`: the public server configuration PeerTube clients read at start.
struct ConfigController: Sendable {
    let configuration: InstanceConfiguration
    let settings: Settings

    /// The PeerTube API version Herd speaks (clients and NodeInfo read it).
    static let serverVersion = "6.3.0"

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/config", use: config)
        router.get("/api/v1/config/custom", use: custom)
        router.put("/api/v1/config/custom", use: updateCustom)
    }

    /// PeerTube's custom configuration, the part Herd lets an administrator change at run time: sign-up.
    struct CustomDTO: Codable {
        struct Signup: Codable { var enabled: Bool? }
        var signup: Signup?
    }

    @Sendable func custom(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        return try JSON.response(CustomDTO(signup: .init(enabled: try await configuration.signupEnabled())))
    }

    /// `PUT /api/v1/config/custom {signup: {enabled}}`: kept in the database, over `signup.enabled` in the file.
    @Sendable func updateCustom(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        let input = try await JSON.decode(CustomDTO.self, from: request, limit: 64 * 1024)
        try await configuration.setSignup(enabled: input.signup?.enabled)
        return try JSON.response(CustomDTO(signup: .init(enabled: try await configuration.signupEnabled())))
    }

    struct ConfigDTO: Encodable {
        struct Instance: Encodable {
            var name: String
            var shortDescription: String
            var defaultClientRoute = "/videos/browse"
            var isNSFW = false
            var defaultNSFWPolicy = "display"
        }
        struct Signup: Encodable {
            var allowed: Bool
            var allowedForCurrentIP: Bool
            var requiresApproval = false
            var requiresEmailVerification = false
            var minimumAge = 16
        }
        struct Enabled: Encodable { var enabled: Bool }
        struct Transcoding: Encodable {
            var hls: Enabled
            var web_videos: Enabled
            var enabledResolutions: [Int]
            var remoteRunners = Enabled(enabled: false)
        }
        struct VideoConfig: Encodable {
            struct File: Encodable { var extensions: [String] }
            struct Image: Encodable {
                var extensions = [".png", ".jpg", ".jpeg", ".webp"]
                var size = ["max": 8_388_608]
            }
            var file: File
            var image = Image()
        }
        struct User: Encodable {
            var videoQuota: Int64
            var videoQuotaDaily: Int64
        }
        var serverVersion = ConfigController.serverVersion
        var serverCommit = "herd"
        var software = "herd"
        var instance: Instance
        var signup: Signup
        var transcoding: Transcoding
        var live = Enabled(enabled: false)
        var video: VideoConfig
        var tracker = Enabled(enabled: true)
        var user: User
        var webadmin = ["configuration": ["edition": ["allowed": false]]]
    }

    @Sendable func config(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let signup = try await configuration.signupEnabled()
        let dto = ConfigDTO(
            instance: .init(name: settings.instanceName, shortDescription: settings.instanceDescription),
            signup: .init(allowed: signup, allowedForCurrentIP: signup),
            transcoding: .init(
                hls: .init(enabled: true), web_videos: .init(enabled: settings.transcoding.webVideos),
                enabledResolutions: settings.transcoding.resolutions.sorted()
            ),
            video: .init(file: .init(extensions: VideoConstants.uploadExtensions)),
            user: .init(videoQuota: settings.defaultQuota, videoQuotaDaily: settings.defaultDailyQuota)
        )
        return try JSON.response(dto)
    }
}
