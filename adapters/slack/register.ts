// Every listener, registered on one Bolt app.
import type { App } from '@slack/bolt';
import type { Deps } from './deps.js';
import { register as kubectl } from './commands/kubectl.js';
import { register as kubedojo } from './commands/kubedojo.js';
import { register as quiz } from './actions/quiz.js';
import { register as answer } from './views/answer.js';
import { register as home } from './events/app-home.js';

export function registerListeners(app: App, deps: Deps): void {
  kubectl(app, deps);
  kubedojo(app, deps);
  quiz(app, deps);
  answer(app, deps);
  home(app, deps);
}
