//! Exam sessions' pure rules (issue 12: E4 panels).

mod panel;
