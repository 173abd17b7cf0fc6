//! `directory_assistance` (charge). OPM: "Any calls to directory assistance for which a charge is
//! generated ... will be considered unacceptable personal usage", including billable call
//! completion. The employee assigned on the call's date owes the charge.

use billrecon_model::{Rule, Severity};
use rust_decimal::Decimal;

use crate::ctx::{Ctx, Draft};
use crate::words::{money, when, who};

pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Draft> {
    let mut out = Vec::new();
    for f in &ctx.facts.da_calls {
        let a = ctx.book.on(&f.line, f.call.date);
        let called = match billrecon_model::PhoneNumber::parse(&f.call.number) {
            Ok(n) => n.pretty(),
            Err(_) => "directory assistance".to_string(),
        };
        let detail = match a {
            Some(a) if a.employee_id.is_empty() => format!(
                "Call to {called} on {} charged {}: chargeable directory assistance on {}, which {}, so it stays with the program.",
                when(&f.call),
                money(f.call.charge),
                a.instrument(),
                match (a.is_shared(), if a.program.is_empty() { &a.account_code } else { &a.program }) {
                    (true, p) => format!("{p} shares with no holder"),
                    (false, p) => format!("{p} holds with no employee named"),
                }
            ),
            Some(a) => format!(
                "Call to {called} on {} charged {}: directory assistance that generates a charge is personal use, repaid by {}.",
                when(&f.call),
                money(f.call.charge),
                who(a)
            ),
            None => format!(
                "Call to {called} on {} charged {}: chargeable directory assistance, but no one was assigned the line that day, so no employee is liable.",
                when(&f.call),
                money(f.call.charge)
            ),
        };
        // A line a program holds with no one assigned (a shared desk phone, a spare): nobody
        // to repay it.
        let unheld = a.is_some_and(|a| a.employee_id.is_empty());
        let severity = if unheld { Severity::Review } else { Severity::Charge };
        let mut d = Draft::new(Rule::DirectoryAssistance, severity, Some(f.line), detail);
        d.amount = f.call.charge;
        d.employee_liable = if a.is_some() && !unheld { f.call.charge } else { Decimal::ZERO };
        if let Some(a) = a {
            d.employee_id = a.employee_id.clone();
            d.account_code = a.account_code.clone();
        }
        d.sources = vec![f.source.clone()];
        d.liable_on = Some(f.call.date);
        d.call = Some(f.call.clone());
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use billrecon_model::Rule;

    #[test]
    fn charged_directory_assistance_is_the_employees() {
        let m = M::new()
            .assign("8605550101", "E1", "ARTS", "2025-07-01", Some("2026-10-15"))
            .charge("8605550101", "plan", "40.00")
            .usage("8605550101", "2026-10-14", "10:31", "411", "voice", "2", "1.99", "411 Search")
            .usage("8605550101", "2026-10-14", "11:00", "1-860-555-1212", "voice", "1", "1.99", "")
            .usage("8605550101", "2026-10-14", "12:00", "2035550100", "voice", "1", "2.49", "CALL COMPLETION")
            .usage("8605550101", "2026-10-20", "09:00", "411", "voice", "1", "1.99", "DIR ASST")
            .build();
        assert_eq!(run(&m, Rule::DirectoryAssistance), vec![
            "charge 8605550101 E1 ARTS 1.99 1.99 | usage.csv:2 | Call to 411 on 2026-10-14 at 10:31:00 charged $1.99: directory assistance that generates a charge is personal use, repaid by Name E1 (E1).",
            "charge 8605550101 E1 ARTS 1.99 1.99 | usage.csv:3 | Call to 860-555-1212 on 2026-10-14 at 11:00:00 charged $1.99: directory assistance that generates a charge is personal use, repaid by Name E1 (E1).",
            "charge 8605550101 E1 ARTS 2.49 2.49 | usage.csv:4 | Call to 203-555-0100 on 2026-10-14 at 12:00:00 charged $2.49: directory assistance that generates a charge is personal use, repaid by Name E1 (E1).",
            "charge 8605550101 - - 1.99 0 | usage.csv:5 | Call to 411 on 2026-10-20 at 09:00:00 charged $1.99: chargeable directory assistance, but no one was assigned the line that day, so no employee is liable.",
        ]);
    }

    #[test]
    fn on_a_desk_phone_or_card_it_is_the_holders_and_on_a_shared_desk_phone_the_programs() {
        let m = M::new()
            .assign("8605550300", "", "ARTS", "2025-07-01", None)
            .kind("desk")
            .assign("8605550301", "E3", "ARTS", "2025-07-01", None)
            .kind("desk")
            .assign("card-4821", "E4", "TRANS", "2025-07-01", None)
            .charge("8605550300", "plan", "30.00")
            .usage("8605550300", "2026-10-14", "10:31", "411", "voice", "1", "1.50", "DIR ASST")
            .usage("8605550301", "2026-10-14", "10:32", "411", "voice", "1", "1.50", "DIR ASST")
            .usage("card-4821", "2026-10-15", "09:00", "1-212-555-1212", "voice", "2", "2.25", "DIRECTORY ASSISTANCE")
            .build();
        assert_eq!(run(&m, Rule::DirectoryAssistance), vec![
            "charge card-4821 E4 TRANS 2.25 2.25 | usage.csv:4 | Call to 212-555-1212 on 2026-10-15 at 09:00:00 charged $2.25: directory assistance that generates a charge is personal use, repaid by Name E4 (E4).",
            "charge 8605550301 E3 ARTS 1.50 1.50 | usage.csv:3 | Call to 411 on 2026-10-14 at 10:32:00 charged $1.50: directory assistance that generates a charge is personal use, repaid by Name E3 (E3).",
            "review 8605550300 - ARTS 1.50 0 | usage.csv:2 | Call to 411 on 2026-10-14 at 10:31:00 charged $1.50: chargeable directory assistance on desk phone 860-555-0300, which ARTS shares with no holder, so it stays with the program.",
        ]);
    }

    #[test]
    fn on_a_line_a_program_holds_with_no_employee_named_nobody_owes_it() {
        let m = M::new()
            .assign("8605550102", "", "ARTS", "2025-07-01", None)
            .charge("8605550102", "plan", "40.00")
            .usage("8605550102", "2026-10-14", "10:31", "411", "voice", "1", "1.99", "411 Search")
            .build();
        assert_eq!(run(&m, Rule::DirectoryAssistance), vec![
            "review 8605550102 - ARTS 1.99 0 | usage.csv:2 | Call to 411 on 2026-10-14 at 10:31:00 charged $1.99: chargeable directory assistance on 860-555-0102, which ARTS holds with no employee named, so it stays with the program.",
        ]);
    }

    #[test]
    fn free_directory_assistance_and_near_misses_are_not_flagged() {
        let m = M::new()
            .assign("8605550101", "E1", "ARTS", "2025-07-01", None)
            .charge("8605550101", "plan", "40.00")
            .usage("8605550101", "2026-10-14", "10:31", "1-800-373-3411", "voice", "2", "0.00", "FREE411")
            .usage("8605550101", "2026-10-14", "10:40", "411", "voice", "1", "", "")
            .usage("8605550101", "2026-10-15", "10:31", "203-555-0411", "voice", "3", "0.25", "LONG DISTANCE")
            .usage("8605550101", "2026-10-16", "10:31", "212-555-1213", "voice", "4", "0.35", "LONG DISTANCE")
            .build();
        assert!(run(&m, Rule::DirectoryAssistance).is_empty());
    }
}
