import Foundation
import HerdCrypto

/// The files around the media playlists: the master playlist and PeerTube's `segments-sha256.json`.
public enum HLSPackage {
    /// One media segment as a media playlist addresses it (RFC 8216 §4.3.2.2 `EXT-X-BYTERANGE`).
    public struct Segment: Sendable, Equatable {
        public var duration: Double
        public var offset: Int64
        public var length: Int64
        public var uri: String
    }

    /// Reads the segments of a media playlist written with `single_file` byte ranges.
    public static func segments(ofPlaylist text: String) -> [Segment] {
        var segments: [Segment] = []
        var duration: Double?
        var range: (Int64, Int64)?
        var nextOffset: Int64 = 0
        for line in text.split(whereSeparator: \.isNewline).map(String.init) {
            if line.hasPrefix("#EXTINF:") {
                duration = Double(line.dropFirst("#EXTINF:".count).split(separator: ",").first ?? "")
            } else if line.hasPrefix("#EXT-X-BYTERANGE:") {
                let spec = line.dropFirst("#EXT-X-BYTERANGE:".count).split(separator: "@")
                let length = Int64(spec[0]) ?? 0
                // RFC 8216 §4.3.2.2: without an offset, the sub-range starts where the previous one ended.
                let offset = spec.count > 1 ? Int64(spec[1]) ?? nextOffset : nextOffset
                range = (length, offset)
            } else if !line.hasPrefix("#"), !line.isEmpty, let segmentDuration = duration, let (length, offset) = range
            {
                segments.append(Segment(duration: segmentDuration, offset: offset, length: length, uri: line))
                nextOffset = offset + length
                duration = nil
                range = nil
            }
        }
        return segments
    }

    /// One variant of the master playlist, with figures measured from the written files.
    public struct Variant: Sendable, Equatable {
        public var playlist: String
        public var width: Int
        public var height: Int
        public var frameRate: Double
        public var codecs: String
        /// Peak segment bit rate (RFC 8216 §4.3.4.2 BANDWIDTH).
        public var bandwidth: Int
        /// Average over the whole rendition (AVERAGE-BANDWIDTH).
        public var averageBandwidth: Int
    }

    /// Measures a rendition from its media playlist.
    public static func variant(
        playlist: String, segments: [Segment], width: Int, height: Int, frameRate: Double, codecs: String
    ) -> Variant {
        let totalDuration = segments.reduce(0) { $0 + $1.duration }
        let totalBytes = segments.reduce(Int64(0)) { $0 + $1.length }
        let peak = segments.map { $0.duration > 0 ? Double($0.length * 8) / $0.duration : 0 }.max() ?? 0
        let average = totalDuration > 0 ? Double(totalBytes * 8) / totalDuration : 0
        return Variant(
            playlist: playlist, width: width, height: height, frameRate: frameRate, codecs: codecs,
            bandwidth: Int(peak.rounded(.up)), averageBandwidth: Int(average.rounded(.up))
        )
    }

    /// The master playlist (RFC 8216 §4.3.4.2), highest bandwidth first.
    public static func masterPlaylist(_ variants: [Variant]) -> String {
        var lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
        for variant in variants.sorted(by: { $0.bandwidth > $1.bandwidth }) {
            lines.append(
                "#EXT-X-STREAM-INF:BANDWIDTH=\(variant.bandwidth),AVERAGE-BANDWIDTH=\(variant.averageBandwidth),"
                    + "RESOLUTION=\(variant.width)x\(variant.height),FRAME-RATE=\(String(format: "%.3f", variant.frameRate)),"
                    + "CODECS=\"\(variant.codecs)\""
            )
            lines.append(variant.playlist)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// PeerTube's `segments-sha256.json`: `{"<file>": {"<start>-<end>": "<sha256 hex>"}}` for every segment of
    /// every rendition, `end` inclusive, read back from the files on disk.
    public static func segmentHashes(directory: String, playlists: [(file: String, segments: [Segment])]) throws -> Data
    {
        var result: [String: [String: String]] = [:]
        for (file, segments) in playlists {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: directory + "/" + file))
            defer { try? handle.close() }
            var hashes: [String: String] = [:]
            for segment in segments {
                try handle.seek(toOffset: UInt64(segment.offset))
                let bytes = try handle.read(upToCount: Int(segment.length)) ?? Data()
                hashes["\(segment.offset)-\(segment.offset + segment.length - 1)"] = Digest.hex(Digest.sha256(bytes))
            }
            result[file] = hashes
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(result)
    }
}
