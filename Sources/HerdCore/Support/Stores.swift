/// Every store the application needs, as one value handed down from the composition root.
/// Backends (SQLite today, PostgreSQL next) each provide one.
public struct Stores: Sendable {
    public var users: any UserStore
    public var tokens: any TokenStore
    public var accounts: any AccountStore
    public var channels: any ChannelStore
    public var videos: any VideoStore
    public var videoFiles: any VideoFileStore
    public var uploads: any UploadStore
    public var jobs: any JobStore
    public var actorKeys: any ActorKeyStore
    public var federation: any FederationStore
    public var comments: any CommentStore
    public var interactions: any VideoInteractionStore
    public var abuses: any AbuseStore
    public var mirrors: any MirrorStore
    /// This instance's copies of remote videos (issue 6).
    public var copies: any MirrorCopyStore
    /// Settings changed by an administrator at run time.
    public var instanceSettings: any InstanceSettingsStore
    /// Passwords of password-protected videos.
    public var videoPasswords: any VideoPasswordStore
    /// Writes across these stores that commit together (`transaction { }`).
    public var transactions: any StoreTransactions
    /// Locks that let one process of several run a periodic round (issue 18).
    public var singletons: any SingletonLocks

    public init(
        users: any UserStore, tokens: any TokenStore, accounts: any AccountStore, channels: any ChannelStore,
        videos: any VideoStore, videoFiles: any VideoFileStore, uploads: any UploadStore, jobs: any JobStore,
        actorKeys: any ActorKeyStore, federation: any FederationStore, comments: any CommentStore,
        interactions: any VideoInteractionStore, abuses: any AbuseStore, mirrors: any MirrorStore,
        copies: any MirrorCopyStore, instanceSettings: any InstanceSettingsStore,
        videoPasswords: any VideoPasswordStore, transactions: any StoreTransactions,
        singletons: any SingletonLocks = UnsharedSingletonLocks()
    ) {
        self.singletons = singletons
        self.transactions = transactions
        self.videoPasswords = videoPasswords
        self.instanceSettings = instanceSettings
        self.copies = copies
        self.mirrors = mirrors
        self.abuses = abuses
        self.interactions = interactions
        self.comments = comments
        self.users = users
        self.tokens = tokens
        self.accounts = accounts
        self.channels = channels
        self.videos = videos
        self.videoFiles = videoFiles
        self.uploads = uploads
        self.jobs = jobs
        self.actorKeys = actorKeys
        self.federation = federation
    }
}
