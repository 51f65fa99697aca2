// S3XMLTests: the XML reader and writer (entities, CDATA, comments, namespaces, malformed
// input) and the S3 codec round trips (tags, CORS, lifecycle, delete, ACL to canned ACL).

import XCTest
@testable import ScalewayAPI

final class S3XMLTests: XCTestCase {
    func testReadsDeclarationCommentsNamespacesEntitiesAndCDATA() throws {
        let text = """
        \u{FEFF}<?xml version="1.0" encoding="UTF-8"?>
        <!-- a comment -->
        <s3:Root xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/" a='1' b="x &amp; y">
          <Key>a &lt;b&gt; &quot;c&quot; &apos;d&apos; &#34;e&#x22; &#233;</Key>
          <Empty/><Empty2></Empty2>
          <Data><![CDATA[<not> & parsed]]></Data>
          <?pi ignored?>
          <s3:Nested><Deep>1</Deep></s3:Nested>
        </s3:Root>
        """
        let root = try S3XML.parse(text)
        XCTAssertEqual(root.name, "Root")
        XCTAssertEqual(root.attributes["b"], "x & y")
        XCTAssertEqual(root.attributes["a"], "1")
        XCTAssertEqual(root.string("Key"), "a <b> \"c\" 'd' \"e\" é")
        XCTAssertEqual(root.string("Empty"), "")
        XCTAssertEqual(root.string("Empty2"), "")
        XCTAssertEqual(root.string("Data"), "<not> & parsed")
        XCTAssertEqual(root.child("Nested")?.int("Deep"), 1)
        XCTAssertEqual(root.text, "", "whitespace between child elements is dropped")
        XCTAssertNil(root.child("Missing"))
    }

    func testMalformedInputThrowsDecodeError() {
        for bad in ["", "text only", "<a>", "<a></b>", "<a><b></a>", "<a x=1/>", "<a>&bogus;</a>", "<a/><b/>", "<a><![CDATA[x</a>"] {
            XCTAssertThrowsError(try S3XML.parse(bad), bad) { XCTAssertTrue($0 is DecodeError, "\(bad): \($0)") }
        }
    }

    func testWriterEscapesAndRoundTrips() throws {
        let node = S3XMLNode("Tag", attributes: ["q": "a\"b<"], children: [S3XMLNode("Key", text: "a&b <c> \"d\""), S3XMLNode("V", text: "é\tx")])
        XCTAssertEqual(node.xml, "<Tag q=\"a&quot;b&lt;\"><Key>a&amp;b &lt;c&gt; \"d\"</Key><V>é\tx</V></Tag>")
        XCTAssertEqual(try S3XML.parse(node.document), node)
        XCTAssertEqual(S3XMLNode("E").xml, "<E/>")
    }

    func testTaggingRoundTripAndTheRecordedRequestBody() throws {
        let tags = [S3Tag("foo", "bar"), S3Tag("scwlua:urn", "Bucket/a b&c")]
        XCTAssertEqual(try S3Codec.decodeTagging(try S3XML.parse(S3Codec.tagging(tags).xml)), tags)
        // Byte for byte what the Terraform provider sent (bucket-basic.jsonl).
        XCTAssertEqual(S3Codec.tagging([S3Tag("foo", "bar")]).xml,
                       #"<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>foo</Key><Value>bar</Value></Tag></TagSet></Tagging>"#)
        XCTAssertEqual(S3Codec.versioning(enabled: true).xml,
                       #"<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>"#)
    }

    func testCORSAndLifecycleRoundTrip() throws {
        let cors = [
            S3CORSRule(allowedMethods: ["GET", "PUT"], allowedOrigins: ["https://a.example"], allowedHeaders: ["*"], exposeHeaders: ["ETag"], maxAgeSeconds: 3000),
            S3CORSRule(id: "two", allowedMethods: ["HEAD"], allowedOrigins: ["*"]),
        ]
        XCTAssertEqual(try S3Codec.decodeCORS(try S3XML.parse(S3Codec.cors(cors).xml)), cors)
        let rules = [
            S3LifecycleRule(id: "logs", prefix: "logs/", expirationDays: 365, transitions: [S3Transition(days: 30, storageClass: "GLACIER")]),
            S3LifecycleRule(id: "off", enabled: false, expirationDays: 7),
            S3LifecycleRule(id: "tagged", prefix: "tmp/", tags: [S3Tag("k", "v")], abortIncompleteMultipartUploadDays: 2),
            S3LifecycleRule(id: "one-tag", tags: [S3Tag("k", "v")], expirationDays: 1),
        ]
        XCTAssertEqual(try S3Codec.decodeLifecycle(try S3XML.parse(S3Codec.lifecycle(rules).xml)), rules)
        // The older form, with Prefix outside a Filter.
        let legacy = try S3XML.parse("<LifecycleConfiguration><Rule><ID>x</ID><Prefix>p/</Prefix><Status>Enabled</Status><Expiration><Days>3</Days></Expiration></Rule></LifecycleConfiguration>")
        XCTAssertEqual(try S3Codec.decodeLifecycle(legacy), [S3LifecycleRule(id: "x", prefix: "p/", expirationDays: 3)])
    }

    func testDeleteBodyAndResult() throws {
        XCTAssertEqual(S3Codec.delete([S3ObjectIdentifier(key: "a&b", versionID: "1"), S3ObjectIdentifier(key: "c")]).xml,
                       #"<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet><Object><Key>a&amp;b</Key><VersionId>1</VersionId></Object><Object><Key>c</Key></Object></Delete>"#)
        let result = try S3Codec.decodeDeleteResult(try S3XML.parse(
            "<DeleteResult><Deleted><Key>a</Key><VersionId>1</VersionId></Deleted><Error><Key>b</Key><Code>AccessDenied</Code><Message>no</Message></Error></DeleteResult>"))
        XCTAssertEqual(result.deleted, [S3ObjectIdentifier(key: "a", versionID: "1")])
        XCTAssertEqual(result.errors.map(\.code), ["AccessDenied"])
    }

    func testCannedACLFromGrants() {
        let owner = S3Grant(granteeType: "CanonicalUser", granteeID: "p:p", permission: "FULL_CONTROL")
        func acl(_ extra: [S3Grant]) -> S3CannedACL? { S3AccessControlPolicy(ownerID: "p:p", ownerDisplayName: nil, grants: [owner] + extra).cannedACL }
        func group(_ uri: String, _ p: String) -> S3Grant { S3Grant(granteeType: "Group", granteeURI: uri, permission: p) }
        XCTAssertEqual(acl([]), .private)
        XCTAssertEqual(acl([group(S3AccessControlPolicy.allUsers, "READ")]), .publicRead)
        XCTAssertEqual(acl([group(S3AccessControlPolicy.allUsers, "READ"), group(S3AccessControlPolicy.allUsers, "WRITE")]), .publicReadWrite)
        XCTAssertEqual(acl([group(S3AccessControlPolicy.authenticatedUsers, "READ")]), .authenticatedRead)
        XCTAssertNil(acl([S3Grant(granteeType: "CanonicalUser", granteeID: "someone-else", permission: "READ")]))
    }

    func testVersionPageKeepsDeleteMarkersInOrder() throws {
        let page = try S3Codec.decodeVersionPage(try S3XML.parse("""
            <ListVersionsResult><IsTruncated>true</IsTruncated><NextKeyMarker>b</NextKeyMarker><NextVersionIdMarker>7</NextVersionIdMarker>
            <Version><Key>a</Key><VersionId>3</VersionId><IsLatest>false</IsLatest><Size>5</Size></Version>
            <DeleteMarker><Key>a</Key><VersionId>4</VersionId><IsLatest>true</IsLatest></DeleteMarker>
            <Version><Key>b</Key><VersionId>null</VersionId><IsLatest>true</IsLatest><Size>1</Size></Version>
            </ListVersionsResult>
            """))
        XCTAssertEqual(page.versions.map(\.versionID), ["3", "4", "null"])
        XCTAssertEqual(page.versions.map(\.isDeleteMarker), [false, true, false])
        XCTAssertTrue(page.isTruncated)
        XCTAssertEqual(page.nextKeyMarker, "b")
        XCTAssertEqual(page.nextVersionIDMarker, "7")
    }
}
