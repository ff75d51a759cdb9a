# Real-world tool init lines (written from the tools' documented install snippets).
export NVM_DIR="$HOME/.nvm"
[ -s "$NVM_DIR/nvm.sh" ] && \. "$NVM_DIR/nvm.sh"  # This loads nvm
[ -s "$NVM_DIR/bash_completion" ] && \. "$NVM_DIR/bash_completion"
# >>> conda initialize >>>
__conda_setup="$("$HOME/miniconda3/bin/conda" 'shell.bash' 'hook' 2> /dev/null)"
if [ $? -eq 0 ]; then
    eval "$__conda_setup"
else
    if [ -f "$HOME/miniconda3/etc/profile.d/conda.sh" ]; then
        . "$HOME/miniconda3/etc/profile.d/conda.sh"
    else
        export PATH="$HOME/miniconda3/bin:$PATH"
    fi
fi
unset __conda_setup
# <<< conda initialize <<<
[[ -s "$HOME/.gvm/scripts/gvm" ]] && source "$HOME/.gvm/scripts/gvm"
export GOENV_ROOT="$HOME/.goenv"
export PATH="$GOENV_ROOT/bin:$PATH"
command -v goenv >/dev/null && eval "$(goenv init -)"
export GOPATH="$HOME/go"
export PATH="$PATH:$GOPATH/bin"
. "$HOME/.asdf/asdf.sh" 2>/dev/null
command -v mise >/dev/null 2>&1 && eval "$(mise activate bash)"
export SDKMAN_DIR="$HOME/.sdkman"
[[ -s "$HOME/.sdkman/bin/sdkman-init.sh" ]] && source "$HOME/.sdkman/bin/sdkman-init.sh"
[ -f ~/.fzf.bash ] && source ~/.fzf.bash
if [ -d /usr/local/go/bin ]; then export PATH=$PATH:/usr/local/go/bin; fi
export GOPROXY=https://proxy.golang.org,direct GOFLAGS=-mod=mod
declare -x GOPRIVATE='*.corp.example.com'
typeset -gx GONOSUMDB="${GOPRIVATE}"
case "$TERM" in xterm*) export GOTELEMETRY=off;; esac
shopt -s extglob
[[ $PWD == +([a-z]) ]] && :
cat <<'EOT' >/dev/null
export GOROOT=/not/a/statement
EOT
