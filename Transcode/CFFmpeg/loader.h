// The FFmpeg libraries, opened on first use (see loader.c). Private to the CFFmpeg target.
#ifndef HERD_CFFMPEG_LOADER_H
#define HERD_CFFMPEG_LOADER_H

typedef enum {
    HERD_AVUTIL,
    HERD_AVCODEC,
    HERD_AVFORMAT,
    HERD_SWSCALE,
    HERD_SWRESAMPLE,
    HERD_FFMPEG_LIBRARIES
} HerdFFmpegLibrary;

/// The function `name` of `library`, cached in `*resolved`. Ends the process with a message on standard error when
/// the libraries cannot be opened or lack the function: callers that can report a clean error call
/// `herd_ffmpeg_load` first.
void *herd_ffmpeg_symbol(HerdFFmpegLibrary library, const char *name, void **resolved);

/// `name` of `library` as a pointer of its own type, resolved once per call site (a GNU statement expression).
#define HERD_FORWARD(library, name)                                                                                    \
    ({                                                                                                                 \
        static void *resolved;                                                                                         \
        (__typeof__(&name))herd_ffmpeg_symbol(library, #name, &resolved);                                              \
    })

#endif
