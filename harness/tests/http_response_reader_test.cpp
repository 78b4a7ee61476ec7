// HttpResponseReader, table-driven (llhttp's style): each response is also fed split at every
// byte boundary, and followed by the next response's bytes, which it must leave alone; bodies
// compared with an expected one (exactly, a prefix, anything), whole and split.
#include "harness/net/http_response_reader.hpp"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace harness {
namespace {

using Progress = HttpResponseReader::Progress;

struct Case {
  std::string_view name;
  std::string_view bytes;
  Progress expected;
  int status = 0;
  std::int64_t length = 0;
  bool closes = false;
  std::string_view error_part;  // malformed: a part of error()
};

constexpr Case complete(std::string_view name, std::string_view bytes, int status,
                        std::int64_t length, bool closes = false) {
  return {name, bytes, Progress::complete, status, length, closes, ""};
}
constexpr Case incomplete(std::string_view name, std::string_view bytes) {
  return {name, bytes, Progress::incomplete, 0, 0, false, ""};
}
constexpr Case malformed(std::string_view name, std::string_view bytes,
                         std::string_view error_part) {
  return {name, bytes, Progress::malformed, 0, 0, false, error_part};
}

const Case kCases[] = {
    complete("plaintext",
             "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\n"
             "Hello, World!",
             200, 13),
    complete("no reason phrase", "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok", 200, 2),
    complete("header case and blanks", "HTTP/1.1 200 OK\r\ncOnTeNt-LeNgTh:\t 3 \r\n\r\nabc", 200,
             3),
    complete("empty body", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200, 0),
    complete("not found", "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found", 404, 9),
    complete("no content", "HTTP/1.1 204 No Content\r\n\r\n", 204, 0),
    complete("connection close",
             "HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 1\r\n\r\nx", 200,
             1, true),
    complete("http/1.0 closes", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", 200, 1, true),
    complete("http/1.0 keep-alive",
             "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", 200, 1),
    incomplete("body incomplete", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc"),
    incomplete("head incomplete", "HTTP/1.1 200 OK\r\nContent-Len"),
    malformed("bad version", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", "status line"),
    malformed("bad status", "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n", "status line"),
    malformed("no length", "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", "without Content-Length"),
    malformed("chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
              "Transfer-Encoding"),
    malformed("bad length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length"),
    malformed("conflicting lengths",
              "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx",
              "Content-Length"),
    malformed("header without colon", "HTTP/1.1 200 OK\r\nnonsense\r\n\r\n", "header line"),
};

constexpr std::string_view kNext = "HTTP/1.1 200 OK\r\n";  // the next response's first bytes

// Feeds `bytes` in two pieces split at `split`; returns the last step's progress and the
// bytes consumed in total.
std::pair<Progress, std::size_t> feed_split(HttpResponseReader& reader, std::string_view bytes,
                                            std::size_t split) {
  std::size_t consumed = 0;
  HttpResponseReader::Step step = reader.feed(bytes.substr(0, split));
  consumed += step.consumed;
  if (step.progress != Progress::incomplete) return {step.progress, consumed};
  EXPECT_EQ(step.consumed, split);  // an incomplete response takes all it was given
  step = reader.feed(bytes.substr(split));
  return {step.progress, consumed + step.consumed};
}

TEST(HttpResponseReader, ReadsEveryCaseWholeAndSplitAtEveryByte) {
  for (const Case& c : kCases) {
    const std::string bytes = std::string(c.bytes) + std::string(kNext);
    const std::size_t own = c.bytes.size();
    for (std::size_t split = 0; split <= own; ++split) {
      SCOPED_TRACE(std::string(c.name) + ", split at " + std::to_string(split));
      HttpResponseReader reader;
      // An incomplete case is fed alone (the next response's bytes would complete nothing).
      const auto [progress, consumed] =
          feed_split(reader, c.expected == Progress::incomplete ? c.bytes : bytes, split);
      ASSERT_EQ(progress, c.expected) << reader.error();
      if (c.expected == Progress::complete) {
        EXPECT_EQ(consumed, own);
        EXPECT_EQ(reader.status(), c.status);
        EXPECT_EQ(reader.content_length(), c.length);
        EXPECT_EQ(reader.closes(), c.closes);
      } else if (c.expected == Progress::malformed) {
        EXPECT_NE(reader.error().find(c.error_part), std::string::npos) << reader.error();
      }
    }
  }
}

TEST(HttpResponseReader, ReadsResponsesOneAfterAnotherAfterReset) {
  HttpResponseReader reader;
  const std::string_view response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  for (int i = 0; i < 3; ++i) {
    const HttpResponseReader::Step step = reader.feed(response);
    ASSERT_EQ(step.progress, Progress::complete);
    EXPECT_EQ(step.consumed, response.size());
    reader.reset();
  }
}

// A response with `body`, fed whole and split at every byte, against `expected`: whether the
// reader found it right, and its mismatch text (the same for every split).
struct BodyVerdict {
  bool matches = true;
  std::string mismatch;
};

BodyVerdict judge(std::string_view body, const ExpectedBody& expected) {
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
                               "\r\n\r\n" + std::string(body);
  BodyVerdict verdict;
  for (std::size_t split = 0; split <= response.size(); ++split) {
    SCOPED_TRACE("split at " + std::to_string(split));
    HttpResponseReader reader;
    reader.expect_body(&expected);
    const auto [progress, consumed] = feed_split(reader, response, split);
    EXPECT_EQ(progress, Progress::complete) << reader.error();  // a wrong body is not malformed
    EXPECT_EQ(consumed, response.size());
    if (split == 0) {
      verdict = {reader.body_matches(), reader.body_mismatch()};
    } else {
      EXPECT_EQ(reader.body_matches(), verdict.matches);
      EXPECT_EQ(reader.body_mismatch(), verdict.mismatch);
    }
  }
  return verdict;
}

TEST(HttpResponseReader, ComparesTheBodyWithTheExpectedOneExactly) {
  const ExpectedBody hello = ExpectedBody::exactly("Hello, World!");
  EXPECT_TRUE(judge("Hello, World!", hello).matches);
  EXPECT_EQ(judge("Hello, World!", hello).mismatch, "");

  const BodyVerdict wrong_byte = judge("Hello, World?", hello);
  EXPECT_FALSE(wrong_byte.matches);
  EXPECT_EQ(wrong_byte.mismatch,
            "body 'Hello, World?' (13 bytes) differs from the expected 'Hello, World!' (13 "
            "bytes) at byte 12");
  EXPECT_TRUE(judge("hello, World!", hello).mismatch.ends_with("' (13 bytes) at byte 0"));

  const BodyVerdict short_body = judge("Hello", hello);
  EXPECT_FALSE(short_body.matches);
  EXPECT_EQ(short_body.mismatch,
            "body 'Hello' (5 bytes) differs from the expected 'Hello, World!' (13 bytes)");
  EXPECT_FALSE(judge("Hello, World!!", hello).matches);
  EXPECT_FALSE(judge("", hello).matches);
  EXPECT_EQ(judge("", hello).mismatch,
            "body '' (0 bytes) differs from the expected 'Hello, World!' (13 bytes)");
}

TEST(HttpResponseReader, ComparesAPrefixOrNothing) {
  const ExpectedBody ok = ExpectedBody::starting_with("ok ");
  EXPECT_TRUE(judge("ok 12345", ok).matches);
  EXPECT_TRUE(judge("ok ", ok).matches);
  EXPECT_FALSE(judge("ok", ok).matches);
  const BodyVerdict wrong = judge("no 12345", ok);
  EXPECT_FALSE(wrong.matches);
  EXPECT_EQ(wrong.mismatch,
            "body 'no 12345' (8 bytes) does not start with the expected 'ok ': byte 0 differs");
  EXPECT_EQ(judge("ok", ok).mismatch, "body 'ok' (2 bytes) does not start with the expected 'ok '");
  EXPECT_EQ(ok.describe(), "a body starting with 'ok '");

  const ExpectedBody any = ExpectedBody::anything();
  EXPECT_FALSE(any.compares());
  EXPECT_TRUE(judge("whatever", any).matches);
  EXPECT_TRUE(judge("", any).matches);
}

TEST(HttpResponseReader, ShowsAWrongBodysStartAndItsOddBytes) {
  const std::string expected(100, 'a');
  std::string body = expected;
  body[70] = '\x01';
  const BodyVerdict verdict = judge(body, ExpectedBody::exactly(expected));
  EXPECT_FALSE(verdict.matches);
  // The first 40 bytes ("..." for the rest), the expected one cut at 60, the byte's place.
  EXPECT_EQ(verdict.mismatch, "body '" + std::string(40, 'a') + "...' (100 bytes) differs from " +
                                  "the expected '" + std::string(60, 'a') +
                                  "...' (100 bytes) at byte 70");
  const BodyVerdict odd = judge(std::string("\x01'\\", 3), ExpectedBody::exactly("abc"));
  EXPECT_NE(odd.mismatch.find("body '\\x01\\x27\\x5c' (3 bytes)"), std::string::npos)
      << odd.mismatch;
}

TEST(HttpResponseReader, KeepsTheExpectedBodyOverResetAndComparesNothingWithoutOne) {
  const ExpectedBody ok = ExpectedBody::exactly("ok");
  HttpResponseReader reader;
  reader.expect_body(&ok);
  const std::string_view right = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  const std::string_view wrong = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nko";
  ASSERT_EQ(reader.feed(wrong).progress, Progress::complete);
  EXPECT_FALSE(reader.body_matches());
  reader.reset();
  ASSERT_EQ(reader.feed(right).progress, Progress::complete);
  EXPECT_TRUE(reader.body_matches());
  EXPECT_EQ(reader.body_mismatch(), "");
  reader.reset();
  ASSERT_EQ(reader.feed(wrong).progress, Progress::complete);
  EXPECT_FALSE(reader.body_matches());  // still expected after reset()
  reader.reset();
  reader.expect_body(nullptr);
  ASSERT_EQ(reader.feed(wrong).progress, Progress::complete);
  EXPECT_TRUE(reader.body_matches());
}

TEST(HttpResponseReader, RefusesAnEndlessHead) {
  HttpResponseReader reader;
  EXPECT_EQ(reader.feed("HTTP/1.1 200 OK\r\n").progress, Progress::incomplete);
  const std::string filler(1024, 'x');
  Progress progress = Progress::incomplete;
  for (int i = 0; i < 100 && progress == Progress::incomplete; ++i) {
    progress = reader.feed("X-Filler: " + filler + "\r\n").progress;
  }
  EXPECT_EQ(progress, Progress::malformed);
  EXPECT_NE(reader.error().find("64 KiB"), std::string::npos) << reader.error();
}

}  // namespace
}  // namespace harness
