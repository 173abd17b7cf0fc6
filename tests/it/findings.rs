//! `billrecon findings`.

use crate::run;

#[test]
fn findings_of_the_sample_month() {
    insta::assert_snapshot!(run(&["findings", "fixtures/2026-10"]));
}

#[test]
fn findings_as_csv_and_json() {
    insta::assert_snapshot!("findings_csv", run(&["findings", "fixtures/2026-10", "--format", "csv"]));
    insta::assert_snapshot!("findings_json", run(&["findings", "fixtures/2026-10", "--format", "json"]));
}

#[test]
fn findings_note_rejected_rows_on_stderr() {
    let out = run(&["findings", "fixtures/bad-month", "--format", "csv"]);
    assert!(out.starts_with("exit: 1\n"), "{out}");
    assert!(
        out.ends_with(
            "----- stderr -----\nnote: 5 input rows were rejected and are not in these findings (run `billrecon check`)\n"
        ),
        "{out}"
    );
}
