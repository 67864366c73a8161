// swift-tools-version:6.2
// Fuzz targets for every parser of bytes from the network or from uploads (issue 14). Built and run by `make fuzz`
// (run.sh) with `-sanitize=fuzzer,address`; each target is a libFuzzer executable with a seed corpus in Corpus/<Name>.
import PackageDescription

/// One libFuzzer executable per parser, named `Fuzz<Parser>`, in Sources/Fuzz<Parser>/Fuzz<Parser>.swift.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"] + dependencies)
}

let parsers: Target.Dependency = .product(name: "HerdParsers", package: "herd")

let package = Package(
    name: "herd-fuzz",
    dependencies: [
        .package(name: "herd", path: "../.."),
        // The same Yams as the root package: FuzzConfig compiles HerdApp's ConfigLoader.swift on its own.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // libFuzzer's driver entry, called from each target's Swift `@main` (see CFuzzDriver.h).
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"]),
        fuzzTarget("FuzzBencode", [parsers]),
        fuzzTarget("FuzzPeerWire", [parsers]),
        fuzzTarget("FuzzSeederSession", [parsers]),
        fuzzTarget("FuzzTrackerHTTP", [parsers]),
        fuzzTarget("FuzzTrackerWebSocket", [parsers]),
        fuzzTarget("FuzzHTTPSignature", [parsers]),
        fuzzTarget("FuzzActivityPub", [parsers]),
        fuzzTarget("FuzzMultipart", [.product(name: "HerdAPI", package: "herd")]),
        fuzzTarget("FuzzContentRange", [parsers]),
        fuzzTarget("FuzzHLSPlaylist", [parsers]),
        fuzzTarget("FuzzTorrentFile", [parsers]),
        fuzzTarget("FuzzConfig", [parsers, .product(name: "Yams", package: "Yams")]),
        fuzzTarget("FuzzMediaSniffer", [parsers]),
        fuzzTarget("FuzzJobPayload", [parsers]),
        fuzzTarget("FuzzS3XML", [parsers]),
        fuzzTarget("FuzzByteRange", [.product(name: "HerdAPI", package: "herd")]),
    ]
)
