import Foundation

/// The figures stored with a transcoding job's progress.
struct ProgressDetail: Encodable, Sendable {
    var fps: Double
    var eta: Double?
}
