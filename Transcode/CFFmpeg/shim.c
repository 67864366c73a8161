#include "cffmpeg.h"
#include <errno.h>

int herd_averror_eagain(void) { return AVERROR(EAGAIN); }

int herd_averror_eof(void) { return AVERROR_EOF; }

int64_t herd_av_nopts_value(void) { return AV_NOPTS_VALUE; }

void herd_av_error_string(int code, char *buffer, size_t size) {
    if (av_strerror(code, buffer, size) < 0) {
        snprintf(buffer, size, "FFmpeg error %d", code);
    }
}

double herd_stream_rotation(const AVStream *stream) {
    const uint8_t *matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, NULL);
    if (!matrix) return 0;
    double rotation = av_display_rotation_get((const int32_t *)matrix);
    return rotation != rotation ? 0 : rotation;  // NaN for a degenerate matrix
}

int herd_set_private_option(AVCodecContext *context, const char *name, const char *value) {
    return av_opt_set(context->priv_data, name, value, 0);
}

void herd_quiet_ffmpeg_logs(void) { av_log_set_level(AV_LOG_QUIET); }
