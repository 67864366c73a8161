/// Field rules for video metadata, shared by upload and update (PeerTube's validators).
public enum VideoRules {
    public static let nameLength = 3...120
    public static let descriptionMaxLength = 10_000
    public static let supportMaxLength = 1_000
    public static let tagLength = 2...30
    public static let maxTags = 5

    public static func validateName(_ name: String) throws {
        guard nameLength.contains(name.count) else {
            throw HerdError.badRequest(
                "name must be between \(nameLength.lowerBound) and \(nameLength.upperBound) characters")
        }
    }

    public static func validateDescription(_ text: String?) throws {
        if let text, text.count > descriptionMaxLength {
            throw HerdError.badRequest("description must be at most \(descriptionMaxLength) characters")
        }
    }

    public static func validateSupport(_ text: String?) throws {
        if let text, text.count > supportMaxLength {
            throw HerdError.badRequest("support must be at most \(supportMaxLength) characters")
        }
    }

    public static func validateTags(_ tags: [String]) throws {
        guard tags.count <= maxTags else { throw HerdError.badRequest("at most \(maxTags) tags are allowed") }
        for tag in tags where !tagLength.contains(tag.count) {
            throw HerdError.badRequest(
                "each tag must be between \(tagLength.lowerBound) and \(tagLength.upperBound) characters")
        }
    }
}

/// Rules for actor names (usernames and channel names), shared by registration and channel creation.
public enum ActorNameRules {
    public static let length = 1...50

    public static func validate(_ name: String, field: String) throws {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "." || $0 == "-"
        }
        guard length.contains(name.count), allowed else {
            throw HerdError.badRequest(
                "\(field) must be 1 to 50 characters of lowercase letters, digits, '_', '.' or '-'"
            )
        }
    }
}
