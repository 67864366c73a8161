/// Reading Prometheus' text format in tests.
public enum PrometheusText {
    /// The value of the sample `name{labels}` (written exactly as exported), or nil when it is absent.
    public static func value(_ sample: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(sample + " ") }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
    }
}
