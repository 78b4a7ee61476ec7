// The option table: see options.hpp.
#include "bench/options.hpp"

#include <algorithm>
#include <cctype>

namespace bench {
namespace {

// Where the synopsis wraps: the width the hand-written usage texts kept to.
constexpr std::size_t kSynopsisColumns = 96;

bool visible(const OptionSpec& spec) { return !spec.help.empty(); }

bool is_prefix_pattern(const OptionSpec& spec) {
  return spec.takes == Takes::verbatim && spec.name.ends_with('*');
}

// "--profile quick|full", "--benchmark_*=VALUE", "--list": the option as it is typed.
std::string spelled(const OptionSpec& spec) {
  std::string text = spec.name;
  if (spec.value_name.empty()) return text;
  if (spec.takes == Takes::value) text += " " + spec.value_name;
  if (spec.takes == Takes::verbatim) text += "=" + spec.value_name;
  return text;
}

}  // namespace

std::string OptionTable::error_prefix() const {
  std::string prefix;  // "corio-bench serve" -> "corio-bench: serve: "
  for (const char c : command) {
    if (c == ' ') {
      prefix += ": ";
    } else {
      prefix += c;
    }
  }
  return prefix + ": ";
}

TableParse OptionTable::parse(std::span<const std::string> args) const {
  TableParse result;
  auto refuse = [&](std::string_view text) {
    result.error = error_prefix();
    result.error += text;
    return result;
  };
  std::vector<bool> seen(options.size(), false);
  std::optional<std::string_view> first_positional;

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!arg.starts_with('-')) {
      if (!positional) {
        return refuse("unexpected argument " + quoted(arg) + " (" + command +
                      " takes no positional argument)");
      }
      if (first_positional && !positional->repeatable) {
        std::string what = positional->name;
        std::ranges::transform(what, what.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return refuse("unexpected argument " + quoted(arg) + " after " + what + " " +
                      quoted(*first_positional));
      }
      if (!first_positional) first_positional = arg;
      if (const std::string bad = positional->set(arg); !bad.empty()) return refuse(bad);
      if (positional->ends_parsing) {
        result.rest = args.subspan(i + 1);
        return result;
      }
      continue;
    }

    const auto split = split_option(arg);
    const std::string_view name = split.first;
    const std::optional<std::string_view> inline_value = split.second;
    auto found = std::ranges::find_if(options, [name](const OptionSpec& spec) {
      return !is_prefix_pattern(spec) && (spec.name == name || spec.short_name == name);
    });
    if (found == options.end()) {
      found = std::ranges::find_if(options, [&](const OptionSpec& spec) {
        return is_prefix_pattern(spec) &&
               arg.starts_with(std::string_view(spec.name).substr(0, spec.name.size() - 1));
      });
    }
    if (found == options.end()) {
      std::string accepted;
      for (const OptionSpec& spec : options) {
        if (!visible(spec)) continue;
        if (!accepted.empty()) accepted += ", ";
        accepted += spec.takes == Takes::verbatim ? spelled(spec) : spec.name;
      }
      return refuse("unknown option " + quoted(arg) + " (accepted: " + accepted + ")");
    }
    const OptionSpec& option = *found;

    std::string_view value;
    switch (option.takes) {
      case Takes::nothing:
        if (inline_value) {
          return refuse("unexpected value in " + quoted(arg) + " (" + std::string(name) +
                        " takes none)");
        }
        break;
      case Takes::value:
        if (inline_value && !inline_value->empty()) {
          value = *inline_value;
        } else if (!inline_value && i + 1 < args.size()) {
          value = args[++i];  // even if it starts with '-': `--rate -1` is refused by --rate
        } else {
          return refuse(std::string(name) + " needs a value (" + spelled(option) + ", see " +
                        command + " --help)");
        }
        break;
      case Takes::verbatim:
        value = arg;
        break;
    }
    seen[static_cast<std::size_t>(found - options.begin())] = true;
    if (const std::string bad = option.set(value); !bad.empty()) return refuse(bad);
    if (option.ends_parsing) {
      result.rest = args.subspan(i + 1);
      return result;
    }
  }

  if (positional && !positional->missing.empty() && !first_positional) {
    return refuse(positional->missing);
  }
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (!options[i].missing.empty() && !seen[i]) return refuse(options[i].missing);
  }
  return result;
}

std::string OptionTable::synopsis(std::string_view lead) const {
  std::vector<std::string> items;
  auto add = [&](std::string item, const OptionSpec& spec) {
    if (spec.repeatable) item += " ...";
    items.push_back(spec.missing.empty() ? "[" + item + "]" : item);
  };
  if (positional && visible(*positional)) add(positional->name, *positional);
  for (const OptionSpec& spec : options) {
    if (visible(spec) && !spec.ends_parsing) add(spelled(spec), spec);
  }

  std::string text(lead);
  text += command;
  const std::string indent(text.size() + 1, ' ');
  std::size_t line_start = 0;
  bool line_has_item = false;
  for (const std::string& item : items) {
    if (line_has_item && text.size() - line_start + 1 + item.size() > kSynopsisColumns) {
      text += '\n';
      line_start = text.size();
      text += indent;
    } else {
      text += ' ';
    }
    text += item;
    line_has_item = true;
  }
  return text + "\n";
}

std::string OptionTable::help() const {
  std::vector<std::pair<std::string, const OptionSpec*>> rows;
  if (positional && visible(*positional)) rows.emplace_back(positional->name, &*positional);
  for (const OptionSpec& spec : options) {
    if (!visible(spec)) continue;
    rows.emplace_back((spec.short_name.empty() ? "" : spec.short_name + ", ") + spelled(spec),
                      &spec);
  }
  std::size_t widest = 0;
  for (const auto& [label, spec] : rows) widest = std::max(widest, label.size());
  // Two spaces, the widest label, two spaces: every first help line starts in one column.
  const std::string indent(2 + widest + 2, ' ');

  std::string text;
  for (const auto& [label, spec] : rows) {
    text += "  " + label + std::string(widest - label.size() + 2, ' ');
    for (const char c : spec->help) text += c == '\n' ? "\n" + indent : std::string(1, c);
    text += '\n';
  }
  return text;
}

std::pair<std::string_view, std::optional<std::string_view>> split_option(std::string_view arg) {
  if (const auto eq = arg.find('='); eq != std::string_view::npos) {
    return {arg.substr(0, eq), arg.substr(eq + 1)};
  }
  return {arg, std::nullopt};
}

// Built by appending: GCC 12 warns (-Wrestrict, a false positive: GCC PR 105329) about
// "literal" + std::string at -O2.
std::string quoted(std::string_view value) {
  std::string text;
  text.reserve(value.size() + 2);
  text += '\'';
  text += value;
  text += '\'';
  return text;
}

}  // namespace bench
