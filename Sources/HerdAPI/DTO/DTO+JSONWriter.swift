import HerdCore

// Hand-written JSON for the DTOs on the hottest routes (video lists and details). Field order and
// omission of nil fields follow the synthesized `Encodable`; `DTOEncodingTests` checks that both agree.

/// Scalars that can be written directly.
protocol JSONScalar {
    func write(to json: inout JSONWriter)
}

extension Int: JSONScalar {
    func write(to json: inout JSONWriter) { json.value(self) }
}

extension String: JSONScalar {
    func write(to json: inout JSONWriter) { json.value(self) }
}

extension Labeled: JSONWritable where ID: JSONScalar {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.key("id")
            id.write(to: &json)
            json.field("label", label)
        }
    }
}

extension OptionalLabeled: JSONWritable where ID: JSONScalar {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.key("id")
            if let id { id.write(to: &json) } else { json.null() }
            json.field("label", label)
        }
    }
}

extension ActorSummaryDTO: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("id", id)
            json.field("name", name)
            json.field("displayName", displayName)
            json.field("url", url)
            json.field("host", host)
            json.field("avatars", avatars)
        }
    }
}

extension VideoFileDTO: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("id", id)
            json.field("resolution", resolution)
            json.field("width", width)
            json.field("height", height)
            json.field("size", size)
            json.field("fps", fps)
            json.field("fileUrl", fileUrl)
            json.field("fileDownloadUrl", fileDownloadUrl)
            json.field("hasAudio", hasAudio)
            json.field("hasVideo", hasVideo)
            json.field("torrentUrl", torrentUrl)
            json.field("torrentDownloadUrl", torrentDownloadUrl)
            json.field("magnetUri", magnetUri)
        }
    }
}

extension StreamingPlaylistDTO: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("id", id)
            json.field("type", type)
            json.field("playlistUrl", playlistUrl)
            json.field("segmentsSha256Url", segmentsSha256Url)
            json.key("redundancies")
            json.array(redundancies) { json, redundancy in json.object { $0.field("baseUrl", redundancy.baseUrl) } }
            json.field("files", files)
        }
    }
}

extension VideoDTO: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("id", id)
            json.field("uuid", uuid)
            json.field("shortUUID", shortUUID)
            json.field("url", url)
            json.field("name", name)
            json.field("category", category)
            json.field("licence", licence)
            json.field("language", language)
            json.field("privacy", privacy)
            json.field("nsfw", nsfw)
            json.field("truncatedDescription", truncatedDescription)
            json.field("description", description)
            json.field("isLocal", isLocal)
            json.field("duration", duration)
            json.field("aspectRatio", aspectRatio)
            json.field("views", views)
            json.field("viewers", viewers)
            json.field("likes", likes)
            json.field("dislikes", dislikes)
            json.field("thumbnailPath", thumbnailPath)
            json.field("previewPath", previewPath)
            json.field("embedPath", embedPath)
            json.field("createdAt", createdAt)
            json.field("updatedAt", updatedAt)
            json.field("publishedAt", publishedAt)
            json.field("originallyPublishedAt", originallyPublishedAt)
            json.field("isLive", isLive)
            json.field("state", state)
            json.field("waitTranscoding", waitTranscoding)
            json.field("account", account)
            json.field("channel", channel)
            json.field("support", support)
            json.field("descriptionPath", descriptionPath)
            json.field("tags", tags)
            json.field("commentsEnabled", commentsEnabled)
            json.field("commentsPolicy", commentsPolicy)
            json.field("downloadEnabled", downloadEnabled)
            json.field("trackerUrls", trackerUrls)
            json.field("files", files)
            json.field("streamingPlaylists", streamingPlaylists)
            json.field("stateReason", stateReason)
            json.field("transcodingProgress", transcodingProgress)
        }
    }
}

extension TranscodingProgressDTO: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("state", state)
            json.field("percent", percent)
            json.field("fps", fps)
            json.field("eta", eta)
            json.field("attempts", attempts)
        }
    }
}

extension ListDTO: JSONWritable where Element: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("total", total)
            json.field("data", data)
        }
    }
}
