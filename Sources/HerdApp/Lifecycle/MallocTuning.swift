#if canImport(Glibc)
    import Glibc
#endif

/// glibc's allocator hands the free top of each thread's arena back to the kernel once it passes 128 KiB, so every
/// request that builds a list (tens of KiB of strings and JSON, all freed at its end) faulted the same pages in again:
/// 6.5 page faults per uncached `GET /api/v1/videos`, about 8% of its CPU (issue 16). Up to `trimThreshold` of free
/// memory now stays with each arena; past it, memory still goes back to the kernel.
///
/// Setting one threshold turns off glibc's own adjustment of both, which had also moved blocks from 128 KiB up (file
/// copies' and paced media's buffers) off `mmap` after their first use; they would then be mapped and faulted in anew
/// each time (mirror copies went from 0.57 to 0.44 of curl's speed). Blocks up to `mmapThreshold` come from the arenas,
/// as the adjustment would have them, and the trim threshold is twice that, as glibc keeps it.
enum MallocTuning {
    static let mmapThreshold: Int32 = 4 << 20
    static let trimThreshold: Int32 = 8 << 20
    /// `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` in <malloc.h>.
    static let trimThresholdParameter: Int32 = -1
    static let mmapThresholdParameter: Int32 = -3

    static func apply() {
        #if canImport(Glibc)
            // `mallopt` is declared in <malloc.h>, which Swift's Glibc module leaves out; nil is RTLD_DEFAULT.
            guard let symbol = dlsym(nil, "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
            _ = mallopt(mmapThresholdParameter, mmapThreshold)
            _ = mallopt(trimThresholdParameter, trimThreshold)
        #endif
    }
}
