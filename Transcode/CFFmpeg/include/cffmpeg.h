// The FFmpeg libraries as Swift sees them, plus the few things Swift cannot call directly:
// function-like macros (AVERROR, AVERROR_EOF, AV_NOPTS_VALUE) and option setting on private contexts.
#ifndef HERD_CFFMPEG_H
#define HERD_CFFMPEG_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/opt.h>
#include <libavutil/imgutils.h>
#include <libavutil/channel_layout.h>
#include <libavutil/audio_fifo.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>

/// Opens the FFmpeg libraries (once; they are not linked, see loader.c). NULL when they are open, else why not.
const char *herd_ffmpeg_load(void);
/// AVERROR(EAGAIN), which Swift cannot expand.
int herd_averror_eagain(void);
/// AVERROR_EOF.
int herd_averror_eof(void);
/// AV_NOPTS_VALUE.
int64_t herd_av_nopts_value(void);
/// The text of an FFmpeg error code, written into `buffer`.
void herd_av_error_string(int code, char *buffer, size_t size);
/// The rotation in degrees recorded in a stream's display matrix (0 when none), counterclockwise
/// as FFmpeg reports it.
double herd_stream_rotation(const AVStream *stream);
/// Sets a string option on a codec context's private options (x264 preset, profile, …).
int herd_set_private_option(AVCodecContext *context, const char *name, const char *value);
/// Silences FFmpeg's own logging: Herd reports every failure itself, with a reason.
void herd_quiet_ffmpeg_logs(void);

#endif
