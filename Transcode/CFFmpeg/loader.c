// Opens the FFmpeg libraries at run time instead of linking them: the server process never runs FFmpeg (media work
// runs in `herd transcode-job` children), so it never maps them and their dependencies (issue 16). The sonames are
// the major versions of the headers Herd was built with, as the linker would have recorded them.
#include "cffmpeg.h"
#include "loader.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <libavcodec/version.h>
#include <libavformat/version.h>
#include <libavutil/version.h>
#include <libswresample/version.h>
#include <libswscale/version.h>

#define HERD_SONAME(name, major) "lib" name ".so." AV_STRINGIFY(major)

// In dependency order: each library's own needs are open before it.
static const char *const sonames[HERD_FFMPEG_LIBRARIES] = {
    [HERD_AVUTIL] = HERD_SONAME("avutil", LIBAVUTIL_VERSION_MAJOR),
    [HERD_AVCODEC] = HERD_SONAME("avcodec", LIBAVCODEC_VERSION_MAJOR),
    [HERD_AVFORMAT] = HERD_SONAME("avformat", LIBAVFORMAT_VERSION_MAJOR),
    [HERD_SWSCALE] = HERD_SONAME("swscale", LIBSWSCALE_VERSION_MAJOR),
    [HERD_SWRESAMPLE] = HERD_SONAME("swresample", LIBSWRESAMPLE_VERSION_MAJOR),
};
static void *handles[HERD_FFMPEG_LIBRARIES];
static char failure[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void open_libraries(void) {
    for (int library = 0; library < HERD_FFMPEG_LIBRARIES; library++) {
        handles[library] = dlopen(sonames[library], RTLD_NOW | RTLD_LOCAL);
        if (!handles[library]) {
            const char *reason = dlerror();
            snprintf(failure, sizeof failure, "%s", reason ? reason : sonames[library]);
            return;
        }
    }
}

const char *herd_ffmpeg_load(void) {
    pthread_once(&once, open_libraries);
    return failure[0] ? failure : NULL;
}

void *herd_ffmpeg_symbol(HerdFFmpegLibrary library, const char *name, void **resolved) {
    void *symbol = __atomic_load_n(resolved, __ATOMIC_ACQUIRE);
    if (symbol) return symbol;
    const char *error = herd_ffmpeg_load();
    if (!error) {
        symbol = dlsym(handles[library], name);
        if (!symbol) error = dlerror();
    }
    if (!symbol) {
        fprintf(stderr, "herd: FFmpeg's %s is unavailable: %s\n", name, error ? error : "not found");
        abort();
    }
    __atomic_store_n(resolved, symbol, __ATOMIC_RELEASE);
    return symbol;
}
