extension SecurityConfiguration {
    /// The settings every OIDC form shares.
    static func addOIDCCommon(
        scope: String?, extensions: [String: String], subjectClaimName: String?, to properties: inout [(key: String, value: String)]
    ) {
        if let scope { properties.append(("sasl.oauthbearer.scope", scope)) }
        if !extensions.isEmpty {
            let text = extensions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            properties.append(("sasl.oauthbearer.extensions", text))
        }
        if let subjectClaimName { properties.append(("sasl.oauthbearer.sub.claim.name", subjectClaimName)) }
    }

    static func add(_ settings: OIDCJWTBearer, to properties: inout [(key: String, value: String)]) throws(KafkaError) {
        properties.append(("sasl.oauthbearer.method", "oidc"))
        properties.append(("sasl.oauthbearer.grant.type", "urn:ietf:params:oauth:grant-type:jwt-bearer"))
        properties.append(("sasl.oauthbearer.token.endpoint.url", settings.tokenEndpoint))
        switch settings.assertion.source {
        case .file(let path):
            try addFile(path, key: "sasl.oauthbearer.assertion.file", what: "JWT assertion", to: &properties)
        case .signed(let key, let algorithm, let claims, let template):
            properties.append(("sasl.oauthbearer.assertion.algorithm", algorithm.rawValue))
            switch key.source {
            case .file(let path):
                try addFile(path, key: "sasl.oauthbearer.assertion.private.key.file", what: "assertion signing key", to: &properties)
            case .pem(let pem):
                try addPEM(
                    pem.value, block: "PRIVATE KEY", key: "sasl.oauthbearer.assertion.private.key.pem", what: "assertion signing key",
                    to: &properties)
            }
            if let passphrase = key.passphrase {
                properties.append(("sasl.oauthbearer.assertion.private.key.passphrase", passphrase.value))
            }
            try add(claims, to: &properties)
            if let template {
                try addFile(template, key: "sasl.oauthbearer.assertion.jwt.template.file", what: "JWT template", to: &properties)
            }
        }
        addOIDCCommon(
            scope: settings.scope, extensions: settings.extensions, subjectClaimName: settings.subjectClaimName, to: &properties)
    }

    private static func add(_ claims: OIDCJWTBearer.Claims, to properties: inout [(key: String, value: String)]) throws(KafkaError) {
        if let issuer = claims.issuer { properties.append(("sasl.oauthbearer.assertion.claim.iss", issuer)) }
        if let subject = claims.subject { properties.append(("sasl.oauthbearer.assertion.claim.sub", subject)) }
        if let audience = claims.audience { properties.append(("sasl.oauthbearer.assertion.claim.aud", audience)) }
        if let lifetime = claims.lifetime {
            // librdkafka takes whole seconds from 1; a shorter lifetime would be refused by it with
            // a bare range error, or, rounded down to 0, make every assertion expired.
            guard lifetime >= .seconds(1) else {
                throw refuse("sasl.oauthbearer.assertion.claim.exp.seconds", "the assertion lifetime \(lifetime) is below 1 second")
            }
            properties.append(("sasl.oauthbearer.assertion.claim.exp.seconds", String(lifetime.components.seconds)))
        }
        if let leeway = claims.notBeforeLeeway {
            guard leeway >= .zero else {
                throw refuse("sasl.oauthbearer.assertion.claim.nbf.seconds", "the not-before leeway \(leeway) is negative")
            }
            properties.append(("sasl.oauthbearer.assertion.claim.nbf.seconds", String(leeway.components.seconds)))
        }
        if claims.includesJWTID { properties.append(("sasl.oauthbearer.assertion.claim.jti.include", "true")) }
    }

    static func add(_ settings: OIDCAzureIMDS, to properties: inout [(key: String, value: String)]) throws(KafkaError) {
        properties.append(("sasl.oauthbearer.method", "oidc"))
        properties.append(("sasl.oauthbearer.metadata.authentication.type", "azure_imds"))
        if let endpoint = settings.tokenEndpoint { properties.append(("sasl.oauthbearer.token.endpoint.url", endpoint)) }
        if let query = settings.query {
            // librdkafka reads `query` out of a comma-separated list: a comma would cut it short.
            guard !query.contains(",") else {
                throw refuse("sasl.oauthbearer.config", "the Azure IMDS query holds a comma, which would cut it short: '\(query)'")
            }
            properties.append(("sasl.oauthbearer.config", "query=\(query)"))
        } else if settings.tokenEndpoint == nil {
            throw refuse(
                "sasl.oauthbearer.config",
                "Azure IMDS needs a query (api-version, resource, client_id) or a token endpoint that carries one")
        }
        addOIDCCommon(scope: nil, extensions: settings.extensions, subjectClaimName: settings.subjectClaimName, to: &properties)
    }
}
