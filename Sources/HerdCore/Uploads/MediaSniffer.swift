/// Recognises audio and video containers from their first bytes, so that an upload that is not media
/// is refused before a video is created. The media pipeline probes the file fully later.
public enum MediaSniffer {
    public enum Container: String, Sendable, Equatable {
        case mp4, matroska, ogg, avi, flv, mpegTS, mpegPS, wav, mp3, flac, aac, asf
    }

    /// How many leading bytes `sniff` wants.
    public static let prefixLength = 4096

    public static func sniff(_ bytes: [UInt8]) -> Container? {
        func at(_ offset: Int, _ magic: [UInt8]) -> Bool {
            bytes.count >= offset + magic.count && Array(bytes[offset..<offset + magic.count]) == magic
        }
        // ISO BMFF (MP4, MOV, 3GP, M4A): a box whose type is ftyp, moov, mdat, free, skip or wide.
        for box in ["ftyp", "moov", "mdat", "free", "skip", "wide", "pnot"] where at(4, Array(box.utf8)) {
            return .mp4
        }
        if at(0, [0x1A, 0x45, 0xDF, 0xA3]) { return .matroska }  // EBML (Matroska, WebM)
        if at(0, Array("OggS".utf8)) { return .ogg }
        if at(0, Array("RIFF".utf8)) && at(8, Array("AVI ".utf8)) { return .avi }
        if at(0, Array("RIFF".utf8)) && at(8, Array("WAVE".utf8)) { return .wav }
        if at(0, Array("FLV".utf8)) { return .flv }
        if at(0, Array("fLaC".utf8)) { return .flac }
        if at(0, [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11]) { return .asf }  // ASF / WMV
        if at(0, [0x00, 0x00, 0x01, 0xBA]) { return .mpegPS }
        // MPEG-TS: a 0x47 sync byte every 188 bytes.
        if bytes.count >= 188 * 3, bytes[0] == 0x47, bytes[188] == 0x47, bytes[376] == 0x47 { return .mpegTS }
        if at(0, Array("ID3".utf8)) { return afterID3(bytes) }
        return audioFrame(bytes[...])
    }

    /// MPEG audio or ADTS frame sync at the start of `bytes`.
    static func audioFrame(_ bytes: ArraySlice<UInt8>) -> Container? {
        guard bytes.count >= 2, let first = bytes.first, first == 0xFF else { return nil }
        let second = bytes[bytes.startIndex + 1]
        if second & 0xF6 == 0xF0 { return .aac }  // ADTS
        if second & 0xE0 == 0xE0 { return .mp3 }  // MPEG audio frame sync
        return nil
    }

    /// An ID3v2 tag (id3v2.4.0-structure §3.1: version 2 to 4, a syncsafe size) is only a prefix: what follows it
    /// (after any zero padding) must be MPEG audio or ADTS frames, when it lies within the bytes sniffed. Text that
    /// merely starts with `ID3` is not audio.
    static func afterID3(_ bytes: [UInt8]) -> Container? {
        guard bytes.count >= 10, (2...4).contains(bytes[3]), bytes[4] != 0xFF,
            bytes[6..<10].allSatisfy({ $0 < 0x80 })
        else { return nil }
        let size = bytes[6..<10].reduce(0) { $0 << 7 | Int($1) }
        let footer = bytes[5] & 0x10 != 0 ? 10 : 0
        var next = 10 + size + footer
        while next < bytes.count, bytes[next] == 0 { next += 1 }
        guard next < bytes.count else { return .mp3 }  // the frames lie past what was sniffed
        return audioFrame(bytes[next...])
    }
}
