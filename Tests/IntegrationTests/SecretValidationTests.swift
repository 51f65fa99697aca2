// SecretValidationTests: a secret that fails validation (a bad CIDR, an unknown region, a
// reserved tag, a bad bucket name) is refused with `(sensitive value)` in place of its text,
// by the built binary; a message that still quotes one is printed with `(sensitive)`.

import Foundation
import ScwTestSupport
import XCTest

final class SecretValidationTests: IntegrationCase {
    func testValidationErrorsNeverPrintASecret() throws {
        try startCloud()
        let cases: [(name: String, body: String, expected: String)] = [
            ("a secret subnet", #"scw.VpcPrivateNetwork "app" { subnets = { scw.secret("10.0.999.0/24-Xhunter2") } }"#, "'subnets[1]'"),
            ("a secret region", #"scw.Vpc "main" { region = scw.secret("hunter2-region") }"#, "unknown region"),
            ("a secret region close to a real one", #"scw.Vpc "main" { region = scw.secret("fr-paz") }"#, "unknown region"),
            ("a secret zone", #"scw.InstanceIp "ip" { zone = scw.secret("hunter2-zone") }"#, "unknown zone"),
            ("a secret reserved tag", #"scw.Vpc "main" { tags = { scw.secret("scwlua:hunter2") } }"#, "reserved prefix"),
            ("a secret bucket name", #"scw.Bucket "b" { name = scw.secret("Hunter2_Not_A_Bucket") }"#, "bucket name (sensitive value) may only hold"),
            // Caught by the CLI's last net: this message quotes the label it could not find.
            ("a secret image label", #"scw.Instance "web" { type = "DEV1-S", image = scw.secret("hunter2_image") }"#, "unknown image label '(sensitive)'"),
        ]
        for c in cases {
            try writeScript("local scw = require \"scaleway\"\n\(c.body)\n")
            let r = expectFailure(try plan(), c.name)
            XCTAssertTrue(r.combined.contains(c.expected), "\(c.name): \(r)")
            XCTAssertTrue(r.combined.contains("(sensitive"), "\(c.name): \(r)")
            XCTAssertFalse(r.combined.contains("Hunter2"), "\(c.name) printed the secret: \(r)")
            XCTAssertFalse(r.combined.contains("hunter2"), "\(c.name) printed the secret: \(r)")
            XCTAssertFalse(r.combined.contains("fr-paz") || r.combined.contains("did you mean"), "\(c.name) told part of the secret: \(r)")
            XCTAssertFalse(r.combined.contains("10.0.999"), "\(c.name) printed the secret: \(r)")
        }
        // The same mistakes without a secret still show the value, with the hint.
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"main\" { region = \"fr-paz\" }\n")
        let plain = expectFailure(try plan(), "a plain bad region")
        XCTAssertTrue(plain.stderr.contains("infra.lua:2: 'region': unknown region 'fr-paz'") && plain.stderr.contains("did you mean 'fr-par'?"), plain.description)
        XCTAssertEqual(try cloud.stats().writes, 0, "refused before any write")
    }
}
