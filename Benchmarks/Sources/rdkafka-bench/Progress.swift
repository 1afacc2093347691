import Foundation

/// Writes one line of progress to standard error, so that standard output holds only the
/// table or the JSON.
func progress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
