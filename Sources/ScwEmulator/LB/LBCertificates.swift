// LB API v1, certificates (`/lbs/{id}/certificates`, `/certificates/{id}`): Let's Encrypt goes
// `pending` → `ready` (dates and fingerprint set when issued); a custom chain is parsed at once
// (dates, names, fingerprint), and one that does not parse is an `error` with `status_details`.
// The chain itself is never stored.

import Foundation

extension LBService {
    static func renderCertificate(_ cert: Record, in state: CloudState) -> JSONValue {
        var body = served(cert.body)
        if let id = cert.body["lb_ref"]?.stringValue, let lb = state.get(lbKind, id) { body["lb"] = render(lb: lb, in: state) }
        return .object(body)
    }

    static func isHostname(_ s: String) -> Bool {
        let labels = s.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "*" }
        }
    }

    func createCertificate(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let letsencrypt = try LBService.object(input, "letsencrypt")
        let custom = try LBService.object(input, "custom_certificate")
        guard (letsencrypt == nil) != (custom == nil) else {
            throw APIError.invalidArgument("letsencrypt", reason: "constraint", help: "give exactly one of letsencrypt or custom_certificate")
        }
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "lb-cert")
        let stamp = Clock.timestamp()
        var body: [String: JSONValue] = [
            "id": .string(Clock.uuid()), "name": .string(name), "created_at": .string(stamp), "updated_at": .string(stamp),
            "fingerprint": .null, "not_valid_before": .null, "not_valid_after": .null, "status_details": .null,
            "subject_alternative_name": .array([]), "zone": .string(zone),
        ]
        var issueLater = false
        if let letsencrypt {
            guard let cn = try letsencrypt.string("common_name"), !cn.isEmpty else {
                throw APIError.invalidArgument("letsencrypt.common_name", reason: "required", help: "common_name is required")
            }
            let sans = try letsencrypt.stringArray("subject_alternative_name") ?? []
            body["type"] = .string("letsencryt")   // sic: the API's enum value
            body["common_name"] = .string(cn)
            body["subject_alternative_name"] = .array(sans.map { .string($0) })
            if ([cn] + sans).allSatisfy(LBService.isHostname) {
                body["status"] = .string("pending")
                issueLater = true
            } else {
                body["status"] = .string("error")
                body["status_details"] = .string("Let's Encrypt refused the order: \"\(([cn] + sans).first { !LBService.isHostname($0) }!)\" is not a valid domain name")
            }
        } else if let custom {
            guard let chain = try custom.string("certificate_chain"), !chain.isEmpty else {
                throw APIError.invalidArgument("custom_certificate.certificate_chain", reason: "required", help: "certificate_chain is required")
            }
            body["type"] = .string("custom")
            do {
                let parsed = try LBCertificateChain(pem: chain)
                body["common_name"] = .string(parsed.commonName)
                body["subject_alternative_name"] = .array(parsed.alternativeNames.map { .string($0) })
                body["not_valid_before"] = .string(parsed.notBefore)
                body["not_valid_after"] = .string(parsed.notAfter)
                body["fingerprint"] = .string(parsed.fingerprint)
                body["status"] = .string("ready")
            } catch let error as LBCertificateChain.Invalid {
                body["common_name"] = .string("")
                body["status"] = .string("error")
                body["status_details"] = .string(error.message)
            }
        }
        let rendered = try store.write { state, now -> JSONValue in
            var lb = try LBService.lb(request.param("id"), zone: zone, in: state)
            try LBService.requireSettled(lb)
            body["lb_ref"] = .string(lb.id)
            body["project_id"] = .string(lb.projectID)
            var record = state.insert(kind: LBService.certificateKind, id: body["id"]!.stringValue!, body: body)
            if issueLater {
                let issued = Clock.timestamp()
                let expires = Clock.timestamp(Date(timeIntervalSinceNow: 90 * 86_400))
                let fingerprint = LBCertificateChain.sha1(Array((record.id + issued).utf8)).map { String(format: "%02x", $0) }.joined()
                LBStatusMachine.schedule(&record, after: LBStatusMachine.certificateSeconds, speed: speed, now: now, set: [
                    "status": .string("ready"), "not_valid_before": .string(issued), "not_valid_after": .string(expires),
                    "fingerprint": .string(fingerprint),
                ])
                state.put(record)
            }
            LBStatusMachine.markApplying(&lb, speed: speed, now: now)
            state.put(lb)
            return LBService.renderCertificate(record, in: state)
        }
        return .json(200, rendered)
    }

    func getCertificate(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        return .json(200, try store.read { state in
            LBService.renderCertificate(try LBService.find(LBService.certificateKind, request.param("id"), zone: zone, in: state), in: state)
        })
    }

    func listCertificates(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let page = try ListQuery.page(request)
        let name = ListQuery.string(request, "name")
        let items = try store.read { state -> [JSONValue] in
            let lb = try LBService.lb(request.param("id"), zone: zone, in: state)
            return ListQuery.ordered(state.list(LBService.certificateKind), request)
                .filter { $0.body["lb_ref"]?.stringValue == lb.id && (name == nil || $0.name.contains(name!)) }
                .map { LBService.renderCertificate($0, in: state) }
        }
        return ListQuery.bodyPage("certificates", items, page)
    }

    func updateCertificate(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let name = try input.string("name")
        return .json(200, try store.write { state, _ in
            var cert = try LBService.find(LBService.certificateKind, request.param("id"), zone: zone, in: state)
            if let name, !name.isEmpty { cert.body["name"] = .string(name) }
            cert.body["updated_at"] = .string(Clock.timestamp())
            state.put(cert)
            return LBService.renderCertificate(cert, in: state)
        })
    }

    func deleteCertificate(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        try store.write { state, now in
            let cert = try LBService.find(LBService.certificateKind, request.param("id"), zone: zone, in: state)
            if let user = state.list(LBService.frontendKind).first(where: {
                $0.body["certificate_ids"]?.arrayValue?.contains(.string(cert.id)) == true
            }) {
                throw APIError.preconditionFailed("resource_still_in_use", help: "the certificate is used by frontend \(user.id); detach it first")
            }
            state.remove(LBService.certificateKind, cert.id)
            if var lb = state.get(LBService.lbKind, cert.body["lb_ref"]?.stringValue ?? "") {
                LBStatusMachine.markApplying(&lb, speed: speed, now: now)
                state.put(lb)
            }
        }
        return .empty(204)
    }
}
