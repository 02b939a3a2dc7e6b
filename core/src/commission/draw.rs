//! Draws: money paid to a payee independently of (or on top of) earnings, and its
//! recovery.
//!
//! A draw is two independent choices. **Advance or guarantee**: an advance is paid
//! every period on top of earnings; a guarantee tops earnings up to the draw amount.
//! **Recoverable or not**: what a recoverable draw paid is a balance the payee owes,
//! carried from period to period and recovered from later earnings (an advance from
//! the same period's earnings onward; a guarantee only from earnings above the draw, so
//! pay never drops below the guarantee). A non-recoverable draw leaves no balance.
//!
//! This module decides those lines and the closing balance. It never decides earnings.

use super::num;
use super::plan::{DrawKind, DrawSpec};
use super::statement::{Line, LineKind};
use crate::error::Result;
use rust_decimal::Decimal;

/// Draw lines for one period and the balance carried out.
///
/// `amount` is the period's draw (already prorated and rounded), `earnings` the
/// period's earnings total, `opening` the recoverable balance carried in.
///
/// ```
/// use rust_decimal::Decimal;
/// use salesops::commission::draw::draw_lines;
/// use salesops::commission::plan::{DrawKind, DrawSpec};
/// let d = DrawSpec { amount: Decimal::from(3000), kind: DrawKind::Guarantee, recoverable: true };
/// let (lines, closing) = draw_lines(&d, Decimal::from(3000), Decimal::from(1000), Decimal::ZERO).unwrap();
/// assert_eq!(lines[0].amount, Decimal::from(2000));
/// assert_eq!(closing, Decimal::from(2000));
/// ```
pub fn draw_lines(
    draw: &DrawSpec,
    amount: Decimal,
    earnings: Decimal,
    opening: Decimal,
) -> Result<(Vec<Line>, Decimal)> {
    let mut lines = Vec::new();
    let mut balance = opening;
    let line = |kind, amount: Decimal, note: String| {
        let mut l = Line::new(kind, amount);
        l.rule = Some("draw".into());
        l.note = Some(note);
        l
    };
    let recoverable = if draw.recoverable {
        "recoverable"
    } else {
        "non-recoverable"
    };
    match draw.kind {
        DrawKind::Guarantee => {
            let top = num::sub(amount, earnings, "draw")?;
            if top > Decimal::ZERO {
                lines.push(line(
                    LineKind::DrawTopUp,
                    top,
                    format!("{recoverable} guarantee of {amount}: earnings {earnings} topped up"),
                ));
                if draw.recoverable {
                    balance = num::add(balance, top, "draw")?;
                }
            } else if draw.recoverable && balance > Decimal::ZERO {
                let excess = num::sub(earnings, amount, "draw")?;
                let rec = balance.min(excess);
                if rec > Decimal::ZERO {
                    lines.push(line(
                        LineKind::DrawRecovery,
                        -rec,
                        format!("recovery from earnings above the guarantee of {amount}; {balance} was owed"),
                    ));
                    balance = num::sub(balance, rec, "draw")?;
                }
            }
        }
        DrawKind::Advance => {
            if !amount.is_zero() {
                lines.push(line(
                    LineKind::DrawAdvance,
                    amount,
                    format!("{recoverable} advance of {amount}"),
                ));
            }
            if draw.recoverable {
                balance = num::add(balance, amount, "draw")?;
                let rec = balance.min(earnings.max(Decimal::ZERO));
                if rec > Decimal::ZERO {
                    lines.push(line(
                        LineKind::DrawRecovery,
                        -rec,
                        format!("recovery from earnings of {earnings}; {balance} was owed"),
                    ));
                    balance = num::sub(balance, rec, "draw")?;
                }
            }
        }
    }
    Ok((lines, balance))
}
