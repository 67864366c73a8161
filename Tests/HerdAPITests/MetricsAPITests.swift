import Foundation
import HerdCore
import HerdTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Metrics")
struct MetricsAPITests {
    static let token = "scraper-token-0123456789"

    @Test("/metrics: off by default, the scraper's token only, requests by route and the queue depth by kind and state")
    func scrape() async throws {
        let off = try await TestInstance()
        defer { off.remove() }
        let status = try await off.withClient { client in
            try await client.request(.get, "/metrics").status
        }
        #expect(status == .notFound)

        let instance = try await TestInstance { values in
            values["metrics.enabled"] = "true"
            values["metrics.token"] = Self.token
        }
        defer { instance.remove() }
        _ = try await instance.stores.jobs.enqueue(
            kind: "test.unhandled", payload: Data("{}".utf8), runAfter: Date() + 600, maxAttempts: 3)
        try await instance.withClient { client in
            #expect(try await client.request(.get, "/metrics").status == .unauthorized)
            #expect(
                try await client.request(.get, "/metrics", token: "scraper-token-0123456788").status == .unauthorized)
            #expect(try await client.request(.get, "/api/v1/videos").status == .ok)
            #expect(try await client.request(.get, "/api/v1/videos/\(UUID())").status == .notFound)
            let scraped = try await client.request(.get, "/metrics", token: Self.token)
            #expect(scraped.status == .ok)
            #expect(scraped.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: scraped.body)
            #expect(
                PrometheusText.value(
                    #"herd_http_requests_total{route="/api/v1/videos",method="GET",status="200"}"#, in: text) == 1)
            #expect(
                PrometheusText.value(
                    #"herd_http_requests_total{route="/api/v1/videos/{id}",method="GET",status="404"}"#, in: text) == 1)
            #expect(
                PrometheusText.value(
                    #"herd_http_request_duration_seconds_count{route="/api/v1/videos",method="GET"}"#, in: text) == 1)
            #expect(PrometheusText.value(#"herd_jobs{kind="test.unhandled",state="pending"}"#, in: text) == 1)
            #expect(PrometheusText.value(#"herd_jobs{kind="test.unhandled",state="running"}"#, in: text) == 0)
        }
    }

    @Test("metrics.enabled without a long enough token is a configuration error")
    func shortToken() throws {
        #expect(
            throws: ConfigError(
                key: "metrics.token", problem: "metrics.enabled needs a token of at least 16 characters")
        ) {
            _ = try SettingsSchema.settings(from: ["metrics.enabled": "true", "metrics.token": "short"])
        }
    }
}
