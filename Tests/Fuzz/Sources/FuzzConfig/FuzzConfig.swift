import FuzzSupport
import HerdCore

// ConfigLoader.swift beside this file is a link to HerdApp's own: HerdApp pulls in the whole server (GRDB,
// AsyncHTTPClient, FFmpeg), and the loader needs only Yams and HerdCore's schema.

/// The YAML configuration file (`Config/default.yaml`'s shape), flattened and checked against the schema as
/// `herd serve --config` does; then every value through each of the schema's value parsers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    guard let values = try? ConfigLoader.flatten(yaml: text, source: "fuzz.yaml") else { return 0 }
    _ = try? SettingsSchema.settings(from: values)
    for value in values.values {
        _ = SettingsSchema.parseBytes(value)
        _ = SettingsSchema.parseDuration(value)
        _ = SettingsSchema.parseBool(value)
        _ = SettingsSchema.parseList(value)
        _ = try? SettingsSchema.parseStrategies(value)
    }
    return 0
}

@main enum FuzzConfigMain {
    static func main() { runFuzzer() }
}
