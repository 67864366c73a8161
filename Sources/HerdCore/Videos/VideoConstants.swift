/// The constant maps PeerTube serves at `/api/v1/videos/categories|licences|languages|privacies`.
public enum VideoConstants {
    /// The file extensions uploads may have (PeerTube's `video.file.extensions`).
    public static let uploadExtensions = [
        ".mp4", ".ogv", ".webm", ".mkv", ".mov", ".qt", ".mqv", ".m4v", ".flv", ".f4v",
        ".wmv", ".avi", ".3gp", ".3gpp", ".3g2", ".3gpp2", ".nut", ".mts", ".m2ts", ".mpv", ".m2v", ".m1v", ".mpg",
        ".mpe", ".mpeg", ".vob", ".mxf", ".mp3", ".wma", ".wav", ".flac", ".aac", ".m4a", ".ac3", ".ogg", ".oga",
        ".opus", ".ts",
    ]

    public static let categories: [Int: String] = [
        1: "Music", 2: "Films", 3: "Vehicles", 4: "Art", 5: "Sports", 6: "Travels", 7: "Gaming", 8: "People",
        9: "Comedy", 10: "Entertainment", 11: "News & Politics", 12: "How To", 13: "Education", 14: "Activism",
        15: "Science & Technology", 16: "Animals", 17: "Kids", 18: "Food",
    ]

    public static let licences: [Int: String] = [
        1: "Attribution", 2: "Attribution - Share Alike", 3: "Attribution - No Derivatives",
        4: "Attribution - Non Commercial", 5: "Attribution - Non Commercial - Share Alike",
        6: "Attribution - Non Commercial - No Derivatives", 7: "Public Domain Dedication",
    ]

    /// ISO 639 codes with English names (the languages PeerTube offers most often).
    public static let languages: [String: String] = [
        "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "br": "Breton", "ca": "Catalan", "cs": "Czech",
        "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "eo": "Esperanto",
        "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French",
        "ga": "Irish", "gd": "Gaelic", "gl": "Galician", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
        "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "is": "Icelandic", "it": "Italian",
        "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "km": "Khmer", "ko": "Korean", "la": "Latin",
        "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian",
        "ms": "Malay", "nl": "Dutch", "no": "Norwegian", "oc": "Occitan", "pl": "Polish", "pt": "Portuguese",
        "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian",
        "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "th": "Thai", "tl": "Tagalog",
        "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
        "zh-Hans": "Simplified Chinese (China)", "zh-Hant": "Traditional Chinese (Taiwan)",
        "sgn": "Sign languages", "ase": "American Sign Language", "bfi": "British Sign Language",
        "fsl": "French Sign Language", "gsg": "German Sign Language", "jbo": "Lojban", "kab": "Kabyle",
    ]

    public static func validateCategory(_ value: Int?) throws {
        if let value, categories[value] == nil { throw HerdError.badRequest("category \(value) does not exist") }
    }

    public static func validateLicence(_ value: Int?) throws {
        if let value, licences[value] == nil { throw HerdError.badRequest("licence \(value) does not exist") }
    }

    public static func validateLanguage(_ value: String?) throws {
        if let value, languages[value] == nil { throw HerdError.badRequest("language '\(value)' does not exist") }
    }
}
