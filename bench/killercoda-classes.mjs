// The kubectl-only scenarios a real cluster without internet would not pass unattended, each with
// why: it downloads something, needs an edit only a learner makes, or its own check contradicts
// its text or solution. Derived by reading each scenario; the reason names the line that decides.
export const setApart = {};
