import Foundation

/// The built `herd` executable next to the test bundle (`swift build --build-tests` makes both).
public enum BuiltHerd {
    public static var path: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var directory = bundle.deletingLastPathComponent()
        if directory.lastPathComponent.hasSuffix(".xctest") { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent("herd").path
    }
}
