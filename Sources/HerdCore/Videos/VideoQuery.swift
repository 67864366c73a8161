import Foundation

/// What a video list asks for: paging, order, and filters. Visibility is part of the query so that
/// every list goes through the same privacy rules (see `VideoVisibility`).
public struct VideoQuery: Sendable, Equatable {
    public var pagination: Pagination
    public var sort: VideoSort
    public var channelId: Int64?
    public var accountId: Int64?
    /// Privacy levels the caller may list.
    public var privacies: Set<VideoPrivacy>
    /// When true, only videos in the `published` state are listed.
    public var onlyPublished: Bool
    public var isLocal: Bool?
    /// nil lists both.
    public var nsfw: Bool?
    public var categoryOneOf: [Int]
    public var licenceOneOf: [Int]
    public var languageOneOf: [String]
    public var tagsOneOf: [String]
    public var tagsAllOf: [String]
    /// Typo-tolerant text search over names and tags (see `SearchTrigrams`).
    public var search: String?
    /// Only videos from this host; "" for local videos.
    public var host: String?
    /// Seconds, inclusive.
    public var durationMin: Int?
    public var durationMax: Int?
    /// Publication dates, inclusive.
    public var startDate: Date?
    public var endDate: Date?
    public var originallyPublishedStartDate: Date?
    public var originallyPublishedEndDate: Date?

    public init(
        pagination: Pagination = Pagination(), sort: VideoSort = .publishedAtDesc, channelId: Int64? = nil,
        accountId: Int64? = nil, privacies: Set<VideoPrivacy> = [.public], onlyPublished: Bool = true,
        isLocal: Bool? = nil, nsfw: Bool? = nil, categoryOneOf: [Int] = [], licenceOneOf: [Int] = [],
        languageOneOf: [String] = [], tagsOneOf: [String] = [], tagsAllOf: [String] = [], search: String? = nil,
        host: String? = nil, durationMin: Int? = nil, durationMax: Int? = nil, startDate: Date? = nil,
        endDate: Date? = nil, originallyPublishedStartDate: Date? = nil, originallyPublishedEndDate: Date? = nil
    ) {
        self.search = search
        self.host = host
        self.durationMin = durationMin
        self.durationMax = durationMax
        self.startDate = startDate
        self.endDate = endDate
        self.originallyPublishedStartDate = originallyPublishedStartDate
        self.originallyPublishedEndDate = originallyPublishedEndDate
        self.pagination = pagination
        self.sort = sort
        self.channelId = channelId
        self.accountId = accountId
        self.privacies = privacies
        self.onlyPublished = onlyPublished
        self.isLocal = isLocal
        self.nsfw = nsfw
        self.categoryOneOf = categoryOneOf
        self.licenceOneOf = licenceOneOf
        self.languageOneOf = languageOneOf
        self.tagsOneOf = tagsOneOf
        self.tagsAllOf = tagsAllOf
    }
}

/// Video list orders. `-` means descending, as in PeerTube.
public struct VideoSort: Sendable, Equatable {
    public enum Column: String, Sendable, CaseIterable {
        case name, duration, createdAt, publishedAt, originallyPublishedAt, views, likes
        /// PeerTube's `trending`, `hot` and `best` all rank by views here, most recent first on ties.
        case trending, hot, best
        /// Search relevance (the share of the query's trigrams a video holds); only with a search.
        case match
    }

    public var column: Column
    public var descending: Bool

    public init(column: Column, descending: Bool) {
        self.column = column
        self.descending = descending
    }

    public static let publishedAtDesc = VideoSort(column: .publishedAt, descending: true)
    public static let createdAtDesc = VideoSort(column: .createdAt, descending: true)

    public init(query: String?, default defaultSort: VideoSort = .publishedAtDesc) throws {
        guard let query, !query.isEmpty else {
            self = defaultSort
            return
        }
        let descending = query.hasPrefix("-")
        let name = descending ? String(query.dropFirst()) : query
        guard let column = Column(rawValue: name) else {
            let names = Column.allCases.map(\.rawValue).joined(separator: ", ")
            throw HerdError.badRequest("sort must be one of \(names), optionally prefixed with -")
        }
        self.init(column: column, descending: descending)
    }
}

/// The privacy rules, in one place.
public enum VideoVisibility {
    /// Whether `viewer` may fetch `video` (owned by `ownerUserId`) by id. A password-protected video is seen by
    /// whoever gave one of its passwords (`passwordGiven`, checked by the caller).
    public static func canView(_ video: Video, ownerUserId: Int64?, viewer: Viewer, passwordGiven: Bool = false)
        -> Bool
    {
        if let user = viewer.user, user.id == ownerUserId || user.role.isStaff { return true }
        switch video.privacy {
        case .public, .unlisted:
            return video.state == .published || (video.state == .toTranscode && !video.waitTranscoding)
        case .internal:
            return viewer.user != nil && video.state == .published
        case .passwordProtected:
            return passwordGiven && video.state == .published
        case .private:
            return false
        }
    }

    /// Whether `viewer` may change or delete the video.
    public static func canManage(ownerUserId: Int64?, viewer: Viewer) -> Bool {
        guard let user = viewer.user else { return false }
        return user.id == ownerUserId || user.role.isStaff
    }

    /// Privacy levels a public list may show to `viewer`.
    public static func listablePrivacies(for viewer: Viewer) -> Set<VideoPrivacy> {
        viewer.user == nil ? [.public] : [.public, .internal]
    }
}

/// Who is asking: anonymous, or an authenticated user.
public struct Viewer: Sendable, Equatable {
    public var user: User?

    public init(user: User?) { self.user = user }

    public static let anonymous = Viewer(user: nil)
}
