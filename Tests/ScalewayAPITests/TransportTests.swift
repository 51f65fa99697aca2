// TransportTests: CurlTransport against a local server (placeholder until the emulator lands).
import XCTest
@testable import ScalewayAPI
