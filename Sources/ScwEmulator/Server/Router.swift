// Router: method + path templates (`/vpc/v2/regions/{region}/vpcs/{id}`) to handlers.
// A service plugs in by registering its routes once, before the server starts.

/// A request matched to a route, with the template's parameters bound.
struct APIRequest: Sendable {
    let http: HTTPRequest
    let params: [String: String]

    var method: String { http.method }
    var path: String { http.path }

    func param(_ name: String) -> String { params[name] ?? "" }

    /// The body as a JSON object (an empty body reads as `{}`).
    func body() throws -> RequestBody { try RequestBody(bytes: http.body) }
}

typealias RouteHandler = @Sendable (APIRequest) throws -> HTTPResponse

/// Routes are added during set-up only and never after the server starts, so reads need no lock.
final class Router: @unchecked Sendable {
    private struct Route {
        let method: String
        let segments: [String]
        let handler: RouteHandler
        var literalCount: Int { segments.filter { !$0.hasPrefix("{") }.count }
    }

    enum Match {
        case found(RouteHandler, [String: String])
        case methodNotAllowed([String])
        case notFound
    }

    private var routes: [Route] = []

    func add(_ method: String, _ template: String, _ handler: @escaping RouteHandler) {
        routes.append(Route(method: method, segments: Router.split(template), handler: handler))
    }

    func match(method: String, path: String) -> Match {
        let parts = Router.split(path)
        var best: (route: Route, params: [String: String])?
        var allowed: [String] = []
        for route in routes {
            guard let params = Router.bind(route.segments, to: parts) else { continue }
            if route.method != method && !(method == "HEAD" && route.method == "GET") {
                allowed.append(route.method)
                continue
            }
            if best == nil || route.literalCount > best!.route.literalCount { best = (route, params) }
        }
        if let best { return .found(best.route.handler, best.params) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(Array(Set(allowed)).sorted())
    }

    /// Answers a request: the handler's response, or the error it threw, or 404/405.
    func dispatch(_ request: HTTPRequest) -> HTTPResponse {
        switch match(method: request.method, path: request.path) {
        case .found(let handler, let params):
            do {
                return try handler(APIRequest(http: request, params: params))
            } catch let error as APIError {
                return error.response
            } catch {
                return APIError.internalError("\(error)").response
            }
        case .methodNotAllowed(let allowed):
            var response = APIError.methodNotAllowed(method: request.method, path: request.path, allowed: allowed).response
            response.headers.append(("Allow", allowed.joined(separator: ", ")))
            return response
        case .notFound:
            return APIError.routeNotFound(method: request.method, path: request.path).response
        }
    }

    private static func split(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    private static func bind(_ template: [String], to parts: [String]) -> [String: String]? {
        guard template.count == parts.count else { return nil }
        var params: [String: String] = [:]
        for (t, p) in zip(template, parts) {
            if t.hasPrefix("{") && t.hasSuffix("}") {
                params[String(t.dropFirst().dropLast())] = p
            } else if t != p {
                return nil
            }
        }
        return params
    }
}
