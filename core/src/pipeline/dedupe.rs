//! Duplicate detection before a lead or customer is created.
//!
//! This module decides how phone numbers, e-mail addresses and company names are
//! normalised and which existing contacts a new one matches on any of them, so that two
//! reps never unknowingly chase the same customer (撞单). Matching is exact on the
//! normalised forms; it never guesses with fuzzy similarity, never looks anything up and
//! never merges records.
//!
//! ```
//! use salesops::pipeline::{normalize_company, normalize_email, normalize_phone};
//! assert_eq!(normalize_phone("+86 138-0013-8000", None).as_deref(), Some("8613800138000"));
//! assert_eq!(normalize_phone("138 0013 8000", Some("86")).as_deref(), Some("8613800138000"));
//! assert_eq!(normalize_phone("020 7946 0000", Some("44")).as_deref(), Some("442079460000"));
//! assert_eq!(normalize_email(" Ana.Li@Example.COM ").as_deref(), Some("ana.li@example.com"));
//! assert_eq!(normalize_company("ACME, Inc."), normalize_company("acme"));
//! assert_eq!(normalize_company("北京字节跳动科技有限公司"), normalize_company("北京字节跳动科技"));
//! ```

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// A contact as far as duplicates are concerned.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Id (absent on the candidate not yet created).
    #[serde(default)]
    pub id: Option<String>,
    /// Who owns it.
    #[serde(default)]
    pub owner: Option<String>,
    /// Phone number as typed.
    #[serde(default)]
    pub phone: Option<String>,
    /// E-mail as typed.
    #[serde(default)]
    pub email: Option<String>,
    /// Company name as typed.
    #[serde(default)]
    pub company: Option<String>,
}

/// An existing contact the candidate matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DedupeMatch {
    /// The existing contact's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its owner, so the host can say whose customer it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The keys that matched, among `email`, `phone`, `company`, in that order.
    pub on: Vec<&'static str>,
}

/// Fold full-width ASCII (common in CJK input) to ASCII, and full-width spaces to spaces.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Digits of a phone number in international form (country code first, no `+`).
///
/// `+` or `00` marks an international number; otherwise, with `default_country_code`
/// (digits such as `"86"`), one leading trunk `0` is dropped and the code prefixed.
/// Fewer than 6 digits is not a comparable number (`None`).
pub fn normalize_phone(raw: &str, default_country_code: Option<&str>) -> Option<String> {
    let folded: String = raw.trim().chars().map(fold_width).collect();
    let international = folded.starts_with('+');
    let mut digits: String = folded.chars().filter(char::is_ascii_digit).collect();
    let international = if !international && digits.starts_with("00") {
        digits.drain(..2);
        true
    } else {
        international
    };
    if !international {
        if let Some(cc) = default_country_code {
            let national = digits.strip_prefix('0').unwrap_or(&digits);
            digits = format!("{cc}{national}");
        }
    }
    (digits.len() >= 6).then_some(digits)
}

/// An e-mail address trimmed and lower-cased; `None` unless it has one `@` with text on
/// both sides.
pub fn normalize_email(raw: &str) -> Option<String> {
    let e: String = raw
        .trim()
        .chars()
        .map(fold_width)
        .collect::<String>()
        .to_lowercase();
    match e.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
        {
            Some(e)
        }
        _ => None,
    }
}

const LEGAL_WORDS: &[&str] = &[
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "gmbh",
    "ag",
    "co",
    "corp",
    "corporation",
    "company",
    "plc",
    "sa",
    "sarl",
    "bv",
    "srl",
    "spa",
    "kk",
    "pty",
    "oy",
    "ab",
    "as",
    "the",
];
const LEGAL_SUFFIXES_CJK: &[&str] = &["股份有限公司", "有限责任公司", "有限公司", "集团", "公司"];

/// A company name lower-cased, without punctuation, spaces or legal-form words (Inc,
/// Ltd, GmbH, 有限公司, …); `None` when nothing is left.
pub fn normalize_company(raw: &str) -> Option<String> {
    let folded: String = raw
        .chars()
        .map(fold_width)
        .collect::<String>()
        .to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !LEGAL_WORDS.contains(w))
        .collect();
    // A name made only of legal words ("The Company") keeps them.
    let mut name: String = if kept.is_empty() {
        words.concat()
    } else {
        kept.concat()
    };
    while let Some(s) = LEGAL_SUFFIXES_CJK
        .iter()
        .find(|s| name.ends_with(**s) && name.len() > s.len())
    {
        name.truncate(name.len() - s.len());
    }
    (!name.is_empty()).then_some(name)
}

/// The normalised keys of a contact.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Keys {
    /// Normalised e-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Normalised phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Normalised company.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
}

fn keys(c: &Contact, cc: Option<&str>) -> Keys {
    Keys {
        email: c.email.as_deref().and_then(normalize_email),
        phone: c.phone.as_deref().and_then(|p| normalize_phone(p, cc)),
        company: c.company.as_deref().and_then(normalize_company),
    }
}

/// The existing contacts `candidate` matches on a normalised e-mail, phone or company,
/// in `existing` order (a contact with the candidate's own id is skipped), and the
/// candidate's normalised keys. `default_country_code` must be 1 to 3 digits.
pub fn dedupe(
    candidate: &Contact,
    existing: &[Contact],
    default_country_code: Option<&str>,
) -> Result<(Vec<DedupeMatch>, Keys)> {
    if let Some(cc) = default_country_code {
        if cc.is_empty() || cc.len() > 3 || !cc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(
                "default_country_code",
                format!("`{cc}` is not a calling code (1 to 3 digits, e.g. 86)"),
            ));
        }
    }
    let mine = keys(candidate, default_country_code);
    let mut out = Vec::new();
    for c in existing {
        if candidate.id.is_some() && c.id == candidate.id {
            continue;
        }
        let theirs = keys(c, default_country_code);
        let mut on = Vec::new();
        let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
        if same(&mine.email, &theirs.email) {
            on.push("email");
        }
        if same(&mine.phone, &theirs.phone) {
            on.push("phone");
        }
        if same(&mine.company, &theirs.company) {
            on.push("company");
        }
        if !on.is_empty() {
            out.push(DedupeMatch {
                id: c.id.clone(),
                owner: c.owner.clone(),
                on,
            });
        }
    }
    Ok((out, mine))
}
