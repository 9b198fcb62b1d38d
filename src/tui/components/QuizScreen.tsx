// A quiz round: one question at a time, choices by letter, typed answers on one line, and the
// verdict with its reason straight after.
import path from 'node:path';
import { Box, Text } from 'ink';
import type { Grade, Item } from '../../core/index.js';
import { Markdown } from './Markdown.js';
import { useTheme } from './theme.js';

export interface QuizState {
  items: Item[];
  index: number;
  input: string;
  grade?: Grade;
  /** Why the last answer could not be graded. */
  error?: string;
  score: { correct: number; answered: number };
  /** The manifest file open in the learner's editor, for the question shown. */
  editing?: string;
}

/** Where a manifest item's answer is written: a file of its own in the learner's sandbox folder. */
export function manifestFile(sandboxDir: string, itemId: string): string {
  return path.join(sandboxDir, 'quiz', `${itemId.replace(/[^A-Za-z0-9._-]/g, '-')}.yaml`);
}

export function QuizScreen({ quiz, width, busy, sandboxDir }: { quiz: QuizState; width: number; busy?: boolean; sandboxDir?: string }) {
  const theme = useTheme();
  const item = quiz.items[quiz.index];
  if (!item) {
    return (
      <Box flexDirection="column" paddingX={1}>
        <Text bold color={theme.heading}>
          Quiz done: {quiz.score.correct} of {quiz.score.answered} right.
        </Text>
        <Text color={theme.dim}>What you missed comes back sooner. Enter for another round · Esc back</Text>
      </Box>
    );
  }
  const verdictColour = quiz.grade?.verdict === 'correct' ? theme.ok : quiz.grade?.verdict === 'close' ? theme.warn : theme.bad;
  return (
    <Box flexDirection="column" paddingX={1} width={width}>
      <Text bold color={theme.heading}>
        Quiz · question {quiz.index + 1} of {quiz.items.length} <Text color={theme.dim}>· {item.topic} · {item.kind} · score {quiz.score.correct}/{quiz.score.answered}</Text>
      </Text>
      <Box marginTop={1}>
        <Markdown source={item.question} />
      </Box>
      {item.kind === 'manifest' && sandboxDir ? (
        <Box marginTop={1} flexDirection="column">
          <Text>Write it in this file (Enter opens it in {process.env.EDITOR || 'vim'}; save and quit to grade it):</Text>
          <Text color={theme.accent}>{manifestFile(sandboxDir, item.id)}</Text>
        </Box>
      ) : null}
      {item.kind === 'choice' ? (
        <Box flexDirection="column" marginTop={1}>
          {item.choices.map((c, i) => (
            <Text key={i}>
              <Text bold color={theme.accent}>
                {String.fromCharCode(97 + i)})
              </Text>{' '}
              {c}
            </Text>
          ))}
        </Box>
      ) : null}
      {quiz.grade ? (
        <Box flexDirection="column" marginTop={1} borderStyle="round" borderColor={verdictColour} paddingX={1}>
          <Text bold color={verdictColour}>
            {quiz.grade.verdict === 'correct' ? '✓ Correct' : quiz.grade.verdict === 'close' ? '~ Close' : '✗ Not quite'}
          </Text>
          <Text>{quiz.grade.feedback}</Text>
          {quiz.grade.details.map((d, i) => (
            <Text key={i} color={theme.dim}>
              · {d}
            </Text>
          ))}
          <Text color={theme.dim}>Enter: next question · Esc: back</Text>
        </Box>
      ) : (
        <Box marginTop={1} flexDirection="column">
          <Text>
            <Text color={theme.accent}>answer› </Text>
            {quiz.input}
            <Text inverse> </Text>
          </Text>
          {quiz.error ? <Text color={theme.bad}>{quiz.error}</Text> : null}
          <Text color={theme.dim}>
            {quiz.editing
              ? `The file is open in your editor in the shell: save and quit it to have it graded (${quiz.editing}).`
              : busy
              ? 'grading…'
              : item.kind === 'choice'
                ? `type a letter${Array.isArray(item.answer) ? 's (a,c)' : ''}, Enter to answer · Esc back`
                : item.kind === 'manifest'
                  ? sandboxDir
                    ? `Enter opens the file above in your editor · or type another file's path (relative to ${sandboxDir}) and Enter · Esc back`
                    : 'type the path of a manifest file, Enter to answer · Esc back'
                  : item.kind === 'command'
                    ? 'type one kubectl command; it runs on a scratch cluster · Enter to answer'
                    : 'type your answer, Enter to answer · Esc back'}
          </Text>
        </Box>
      )}
    </Box>
  );
}
