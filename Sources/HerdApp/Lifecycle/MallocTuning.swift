#if canImport(Glibc)
    import Glibc
#endif

/// glibc's allocator hands the free top of each thread's arena back to the kernel once it passes 128 KiB, so every
/// request that builds a list (tens of KiB of strings and JSON, all freed at its end) faulted the same pages in again:
/// 6.5 page faults per uncached `GET /api/v1/videos`, about 8% of its CPU (issue 16). Up to `trimThreshold` of free
/// memory now stays with each arena; past it, memory still goes back to the kernel.
enum MallocTuning {
    static let trimThreshold: Int32 = 8 << 20
    /// `M_TRIM_THRESHOLD` in <malloc.h>.
    static let trimThresholdParameter: Int32 = -1

    static func apply() {
        #if canImport(Glibc)
            // `mallopt` is declared in <malloc.h>, which Swift's Glibc module leaves out; nil is RTLD_DEFAULT.
            guard let symbol = dlsym(nil, "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
            _ = mallopt(trimThresholdParameter, trimThreshold)
        #endif
    }
}
