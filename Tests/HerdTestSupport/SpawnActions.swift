#if canImport(Glibc)
    import Glibc
#endif

/// Has a `posix_spawn` child close every descriptor above standard error (glibc's
/// `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module does not declare). A server that outlives
/// the test that started it (PostgreSQL, SeaweedFS) would otherwise hold the write end of some other test's pipe to
/// its child (curl, ffmpeg), and that test would wait for the end of the output for ever.
func closeInherited(_ actions: inout posix_spawn_file_actions_t) {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
        fatalError("glibc 2.34 or later is needed (posix_spawn_file_actions_addclosefrom_np)")
    }
    _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
}

/// Has a `posix_spawn` child start in `directory` (glibc's `posix_spawn_file_actions_addchdir_np`, 2.29 and later,
/// which Swift's Glibc module does not declare either).
func changeDirectory(_ actions: inout posix_spawn_file_actions_t, to directory: String) {
    typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else {
        fatalError("glibc 2.29 or later is needed (posix_spawn_file_actions_addchdir_np)")
    }
    _ = unsafeBitCast(symbol, to: AddChdir.self)(&actions, directory)
}
