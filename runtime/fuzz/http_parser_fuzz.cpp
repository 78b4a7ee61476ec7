// libFuzzer target for corio::net::http::RequestParser and ResponseParser.
//
// Each input is treated as the bytes a connection receives. It is parsed as a server would
// (parse, drop `consumed` bytes, parse the pipelined rest) once whole and again in pieces:
// a split at a position taken from the data, and for short inputs every prefix in turn.
// Every piece is a fresh copy, so the parser also sees its earlier bytes move. Checked:
//   - the outcomes (each complete message and the final error or need_more) are the same
//     however the bytes arrive;
//   - consumed <= the bytes available, and > 0 for a complete message; 0 on error;
//   - every view of a complete message lies inside that message's bytes;
//   - origin-form: target == path + "?" + query; the other target forms go with their methods;
//     the body is Content-Length bytes, or, chunked, its chunks add up to body_size; error
//     codes are the documented ones, each with a reason;
//   - a complete message parsed again on its own, from another copy, gives the same result.
// Default limits and small ones (64-byte head, 8-byte body, 3 headers) are both exercised.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <corio/net/http_parser.hpp>

namespace {

namespace http = corio::net::http;

void check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "http_parser_fuzz: invariant failed: %s\n", what);
  std::abort();
}

bool inside(std::string_view view, std::string_view message) {
  if (view.empty()) return true;
  const auto view_begin = reinterpret_cast<std::uintptr_t>(view.data());
  const auto message_begin = reinterpret_cast<std::uintptr_t>(message.data());
  return view_begin >= message_begin && view_begin + view.size() <= message_begin + message.size();
}

// A Content-Length value the parser accepted: digits, possibly with leading zeros.
std::size_t decimal(std::string_view digits) {
  std::size_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<std::size_t>(c - '0');
  return value;
}

void check_headers(const http::HeaderList& headers, std::string_view message, std::string& out) {
  for (const http::Header& header : headers) {
    check(inside(header.name, message) && inside(header.value, message), "header inside");
    check(!header.name.empty(), "header name not empty");
    check(headers.find(header.name).has_value(), "header found by its own name");
    out.append(header.name).append(":").append(header.value).append("\n");
  }
}

// One complete message, checked against the bytes it came from and described by value.
std::string describe(const http::Request& request, std::string_view message) {
  for (std::string_view view : {request.method, request.target, request.query, request.body,
                                request.chunked_body, request.authority}) {
    check(inside(view, message), "request view inside its message");
  }
  // absolute-form with an empty path routes by "/", a static string outside the message.
  check(inside(request.path, request.target) || request.path == "/", "path inside the target");
  check(inside(request.query, request.target), "query inside the target");
  check(!request.method.empty() && !request.target.empty(), "method and target not empty");
  check(request.version_minor == 0 || request.version_minor == 1, "version 1.0 or 1.1");
  if (request.target.front() == '/') {
    if (request.path.size() == request.target.size()) {
      check(request.query.empty() && request.path == request.target, "target is the path");
    } else {
      check(request.target == std::string(request.path).append("?").append(request.query),
            "target is path?query");
    }
  } else if (request.target == "*") {
    check(request.method == "OPTIONS" && request.path == "*", "asterisk-form is OPTIONS *");
  } else if (request.method == "CONNECT") {
    check(request.authority == request.target && request.path.empty(), "authority-form");
  } else {
    check(!request.authority.empty() && !request.path.empty() && request.path.front() == '/',
          "absolute-form has an authority and a path");
  }
  const std::optional<std::string_view> length = request.headers.find("content-length");
  if (request.chunked) {
    check(!length && request.body.empty(), "a chunked request has no Content-Length body");
    std::size_t data = 0;
    http::ChunkReader reader(request.chunked_body);
    while (std::optional<std::string_view> chunk = reader.next()) {
      check(!chunk->empty() && inside(*chunk, request.chunked_body), "chunk inside the body");
      data += chunk->size();
    }
    check(data == request.body_size, "chunk data adds up to body_size");
  } else {
    check(length ? decimal(*length) == request.body.size() : request.body.empty(),
          "the body is Content-Length bytes");
    check(request.body_size == request.body.size(), "body_size is the body's");
  }
  std::string out;
  out.append(request.method).append(" ").append(request.target).append(" 1.");
  out.append(std::to_string(request.version_minor)).append(request.keep_alive ? " ka\n" : "\n");
  check_headers(request.headers, message, out);
  out.append(request.body).append(request.chunked_body);
  return out;
}

std::string describe(const http::Response& response, std::string_view message) {
  check(inside(response.reason, message) && inside(response.body, message),
        "response view inside its message");
  check(response.status >= 100 && response.status <= 999, "status 100..999");
  std::string out = std::to_string(response.status);
  out.append(" ").append(response.reason).append(response.keep_alive ? " ka\n" : "\n");
  check_headers(response.headers, message, out);
  out.append(response.body);
  return out;
}

struct Outcome {
  http::ParseResult result;
  std::string message;  // complete: describe(); need_more at the end: the bytes left over

  bool operator==(const Outcome&) const = default;
};

void check_result(const http::ParseResult& result, std::size_t available, bool request) {
  switch (result.status) {
    case http::ParseStatus::complete:
      check(result.consumed > 0 && result.consumed <= available, "0 < consumed <= available");
      check(result.error_status == 0 && result.error_reason.empty(), "no error when complete");
      break;
    case http::ParseStatus::need_more:
      check(result.consumed == 0 && result.error_status == 0, "need_more consumes nothing");
      break;
    case http::ParseStatus::error: {
      check(result.consumed == 0 && !result.error_reason.empty(), "error has a reason");
      const int status = result.error_status;
      check(request ? status == 400 || status == 413 || status == 414 || status == 431 ||
                          status == 501 || status == 505
                    : status == 502,
            "documented error status");
      break;
    }
  }
}

// Parses `input` as a connection receiving it in pieces: the prefixes input[0, b) for each
// boundary b (increasing), then the whole. Returns every complete message and the last result.
template <class Parser>
std::vector<Outcome> drive(const http::Limits& limits, std::string_view input,
                           const std::vector<std::size_t>& boundaries, bool head_request) {
  constexpr bool kRequest = std::is_same_v<Parser, http::RequestParser>;
  Parser parser(limits);
  std::vector<Outcome> outcomes;
  std::size_t pos = 0;
  auto parse = [&](std::string_view available) -> http::ParseResult {
    http::ParseResult result;
    if constexpr (kRequest) {
      result = parser.parse(available);
    } else {
      result = parser.parse(available, head_request);
    }
    check_result(result, available.size(), kRequest);
    return result;
  };
  auto describe_last = [&](std::string_view message) {
    if constexpr (kRequest) {
      return describe(parser.request(), message);
    } else {
      return describe(parser.response(), message);
    }
  };
  for (std::size_t boundary : boundaries) {
    const std::string piece(input.substr(0, boundary));  // a fresh copy: the buffer moves
    for (;;) {
      const std::string_view available = std::string_view(piece).substr(pos);
      const http::ParseResult result = parse(available);
      if (result.status == http::ParseStatus::need_more) break;
      if (result.status == http::ParseStatus::error) {
        outcomes.push_back({result, {}});
        return outcomes;
      }
      outcomes.push_back({result, describe_last(available.substr(0, result.consumed))});
      pos += result.consumed;
    }
  }
  for (;;) {
    const std::string_view available = input.substr(pos);
    const http::ParseResult result = parse(available);
    if (result.status == http::ParseStatus::need_more) {
      outcomes.push_back({result, std::string(available)});
      return outcomes;
    }
    if (result.status == http::ParseStatus::error) {
      outcomes.push_back({result, {}});
      return outcomes;
    }
    outcomes.push_back({result, describe_last(available.substr(0, result.consumed))});
    pos += result.consumed;
  }
}

template <class Parser>
void check_parser(const http::Limits& limits, std::string_view input, std::size_t split,
                  bool head_request) {
  const std::vector<Outcome> whole = drive<Parser>(limits, input, {}, head_request);
  check(drive<Parser>(limits, input, {split}, head_request) == whole, "split == whole");
  if (input.size() <= 128) {
    std::vector<std::size_t> every;
    for (std::size_t b = 0; b <= input.size(); ++b) every.push_back(b);
    check(drive<Parser>(limits, input, every, head_request) == whole, "byte by byte == whole");
  }
  // Each complete message alone, from its own copy, parses the same.
  std::size_t pos = 0;
  for (const Outcome& outcome : whole) {
    if (outcome.result.status != http::ParseStatus::complete) break;
    const std::string alone(input.substr(pos, outcome.result.consumed));
    const std::vector<Outcome> again = drive<Parser>(limits, alone, {}, head_request);
    check(again.size() == 2 && again[0] == outcome, "a complete message re-parses the same");
    pos += outcome.result.consumed;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t seed = 0;
  for (std::size_t i = 0; i < size && i < 8; ++i) seed = seed * 131 + data[size - 1 - i];
  const std::size_t split = size == 0 ? 0 : seed % (size + 1);
  const bool head_request = (seed & 1U) != 0;

  const http::Limits small{.max_head_bytes = 64, .max_body_bytes = 8, .max_headers = 3};
  check_parser<http::RequestParser>({}, input, split, head_request);
  check_parser<http::RequestParser>(small, input, split, head_request);
  check_parser<http::ResponseParser>({}, input, split, head_request);
  check_parser<http::ResponseParser>(small, input, split, head_request);
  return 0;
}
