import { render } from 'preact';
import { App } from './App.js';
import './styles/base.css';
import './styles/shell.css';
import './styles/inbox.css';
import './styles/conversation.css';
import './styles/settings.css';
import './styles/profile.css';
import './styles/integration.css';
import './styles/contacts.css';
import './styles/card.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
