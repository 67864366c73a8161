#ifndef HERD_CSCHEDULING_SHIM_H
#define HERD_CSCHEDULING_SHIM_H
// Linux's sched_setattr(2) and sched_getattr(2), which glibc before 2.41 does not wrap and Swift cannot reach
// through the variadic syscall(2).
#include <errno.h>
#include <stdint.h>
#include <string.h>
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

// struct sched_attr, SCHED_ATTR_SIZE_VER1 (include/uapi/linux/sched/types.h).
struct herd_sched_attr {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
    uint32_t sched_util_min;
    uint32_t sched_util_max;
};

// The calling thread's time slice in nanoseconds (sched_runtime; for SCHED_OTHER and SCHED_BATCH, the slice EEVDF
// gives it since Linux 6.12), or 0 when the kernel does not say.
static inline uint64_t herd_thread_slice(void) {
#if defined(__linux__) && defined(SYS_sched_getattr)
    struct herd_sched_attr attr;
    memset(&attr, 0, sizeof attr);
    if (syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0) != 0) return 0;
    return attr.sched_runtime;
#else
    return 0;
#endif
}

// Asks for slices of `nanoseconds` for the calling thread (Linux 6.12+ EEVDF: a shorter slice is an earlier
// deadline, so a waking thread runs sooner; its share of the CPU is unchanged). Threads and processes it starts
// afterwards do not inherit the slice. The policy and nice value are kept; threads under a real-time policy are left
// alone. Returns 0 or an errno value.
static inline int herd_set_thread_slice(uint64_t nanoseconds) {
#if defined(__linux__) && defined(SYS_sched_getattr) && defined(SYS_sched_setattr)
    struct herd_sched_attr attr;
    memset(&attr, 0, sizeof attr);
    if (syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0) != 0) return errno;
    if (attr.sched_policy != 0 /* SCHED_OTHER */ && attr.sched_policy != 3 /* SCHED_BATCH */) return ENOTSUP;
    attr.size = sizeof attr;
    attr.sched_flags = 0x01;  // SCHED_FLAG_RESET_ON_FORK: threads and processes it starts get the default
    attr.sched_runtime = nanoseconds;
    if (syscall(SYS_sched_setattr, 0, &attr, 0) != 0) return errno;
    return 0;
#else
    (void)nanoseconds;
    return ENOSYS;
#endif
}
#endif
