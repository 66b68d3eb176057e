import { render } from 'preact';
import { initLanguage, t } from '../i18n';
import { Locker } from './Locker';
import '../ui/base.css';
import './locker.css';

// The user's language setting is read before anything is shown.
void initLanguage().then(() => {
  document.title = t('lockerDocTitle');
  render(<Locker />, document.getElementById('app')!);
});
