/** The console's entry point: renders the shell into the page. */
import { render } from 'preact';
import { App } from './app';

render(<App />, document.getElementById('app')!);
