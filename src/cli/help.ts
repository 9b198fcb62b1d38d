// What `kubedojo --help` prints. Its own module, with no imports: printing it loads nothing else.
export const HELP = `kubedojo: learn Kubernetes by doing, on a simulated cluster the real kubectl drives.

Usage: kubedojo [COMMAND] [options]

With no command, kubedojo opens the full-screen tutor (\`kubedojo tutor --help\`).

The cluster:
  serve                  start the simulated cluster and write a kubeconfig for it
  slack                  run the Slack bot (see \`kubedojo slack --help\`)

Lessons (on the cluster of the current kubeconfig context):
  lessons                the lessons, your progress in each, and what is next
  start LESSON           set a lesson up and show its first step
  check                  grade the current step
  hint                   the next hint for the current step
  solution               show the current step's solution
  solve                  run the solution of the current step and the rest, as a demo
  reset                  set the current lesson up afresh, back at its first step

Killercoda scenarios:
  scenario DIR           play a Killercoda scenario, or a folder of them, in the tutor

Quizzes and exams:
  quiz                   questions to answer, the ones due first
  answer ITEM ANSWER     answer a question
  exam --track cka|ckad  a timed exam drill of performance tasks
  progress               what you have done so far

Options every tutor command takes:
  --kubeconfig FILE      the cluster to use (default: $KUBECONFIG, else the one \`kubedojo serve\` wrote)
  --context NAME         a context of that kubeconfig
  --json                 print JSON instead of text
  -h, --help             help for the command

Exit codes: 0 done, 1 checks not passed or a problem to fix, 2 a mistake in the command line.
Run \`kubedojo COMMAND --help\` for a command's own options.
`;
