/// Explains librdkafka's refusal of a client key, which OpenSSL words as "PEM lib" (or "bad
/// decrypt") whether the key's password is wrong, missing, or the file holds no key at all, and
/// of a PKCS#12 keystore, which it words as a failed integrity check when the password is wrong.
package enum TLSKeyFailures {
    /// `message` with what the applied `properties` make likely, when it is a refused client key.
    package static func explain(_ message: String, properties: [(key: String, value: String)]) -> String {
        // OpenSSL checks a PKCS#12 file's integrity with its password, so a wrong password reads
        // as a corrupt file.
        if message.contains("ssl.keystore.location"), message.contains("mac verify failure") {
            return message + ": the keystore password (ssl.keystore.password) does not open this keystore"
        }
        let keyRefused =
            (message.contains("ssl.key.location") || message.contains("ssl.key.pem"))
            && (message.contains("PEM lib") || message.contains("bad decrypt") || message.contains("bad password"))
        guard keyRefused else { return message }
        if properties.contains(where: { $0.key == "ssl.key.password" }) {
            return message
                + ": the client key could not be decrypted with the key password given (ssl.key.password): "
                + "is it the password of this key?"
        }
        return message
            + ": the client key could not be read: if it is encrypted, give its password (ClientIdentity keyPassword, "
            + "ssl.key.password); otherwise check that it is a PEM private key"
    }
}
