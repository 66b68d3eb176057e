import { render } from 'preact';
import { initLanguage } from '../i18n';
import { Welcome } from './Welcome';
import '../ui/base.css';
import './welcome.css';

void initLanguage().then(() => render(<Welcome />, document.getElementById('app')!));
