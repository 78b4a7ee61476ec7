#pragma once
// An HTTP/1.1 server's conformance as a client on the wire sees it: the cases of RFC 9112
// sections 2-7 (and RFC 9110's method, version and expectation rules) plus the request
// smuggling classes (CL+TE, TE+CL, duplicate Content-Length, obfuscated Transfer-Encoding,
// obs-fold, bare CR, NUL), each sent on a fresh connection to a running server, its answers
// read and the connection's state after them found by asking once more.
//
// Where runtime/tests/http_conformance_test.cpp holds corio's parser and server to one exact
// answer per case, this set holds any server (every model's, nginx, the Python, Go and tokio
// ones) to what the RFCs allow, so that servers can be scored side by side:
//   required      what a server MUST do (RFC 9112/9110), and section 2.2's rule that a
//                 request which does not match the grammar is answered 400 and its connection
//                 closed (processing it is how smuggling starts): a server that misses one of
//                 these is not safe in front of, or behind, another HTTP hop
//   recommended   SHOULD-level answers: the exact status for an unknown method (501), a
//                 method the resource does not allow (405 with Allow), a newer 1.x minor
//                 version, a header section too large (431), Expect: 100-continue, ...
//
//   wire_cases(target)     the case set, built around `target`, a path the server answers
//                          GET with 200 ("/plaintext")
//   run_wire_case(port, c) sends the case to 127.0.0.1:port and returns what came back and
//                          whether it is one of the case's allowed outcomes
//   Score / score(...)     passed / total per level, and the failures' descriptions
//
// An outcome is the statuses answered, in order (100 included), and whether the server
// closed the connection after the last one. The connection's state is observed, not read
// from headers: after the answers, the client waits briefly for the end of the stream and
// otherwise sends a GET of `target`, which an open connection answers.

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace bench::test {

enum class Level : std::uint8_t { required, recommended };

struct Outcome {
  std::vector<std::set<int>> statuses;  // per answer, the statuses allowed there
  bool closed = false;                  // the server closes the connection after them
};

struct WireCase {
  std::string name;     // "CL then TE (smuggling)"
  std::string section;  // "RFC 9112 6.3"
  Level level = Level::required;
  std::string bytes;  // what the client sends
  // Expect: 100-continue: `bytes` is the head; `body` is sent once the server answered the
  // head with 100 (a final status instead ends the exchange).
  std::string body;
  bool head_method = false;  // the requests are HEAD: their answers carry no body
  bool needs_allow = false;  // the first answer must carry an Allow header (405)
  std::vector<Outcome> allowed;
};

struct WireResult {
  bool passed = false;
  std::string observed;  // "400 closed", "200 200 open", "no answer within 2 s"
};

std::vector<WireCase> wire_cases(const std::string& target);

WireResult run_wire_case(std::uint16_t port, const WireCase& wire_case, const std::string& target,
                         std::chrono::milliseconds patience = std::chrono::milliseconds(2000));

struct Score {
  int required_passed = 0;
  int required_total = 0;
  int recommended_passed = 0;
  int recommended_total = 0;
  std::vector<std::string> failures;  // "[required] name (section): observed ..., allowed ..."
  [[nodiscard]] std::string summary() const;  // "required 58/58, recommended 15/15"
};

// Every case against 127.0.0.1:port, one connection each.
Score score(std::uint16_t port, const std::string& target,
            std::chrono::milliseconds patience = std::chrono::milliseconds(2000));

// What the case allows, for messages: "400 closed | 405 200 open".
std::string describe_allowed(const WireCase& wire_case);

}  // namespace bench::test
